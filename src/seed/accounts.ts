/** Demo accounts with known passwords: for local demos only, printed by the seed and listed in the README. */
export const DEMO_ACCOUNTS = [
  { email: "admin@cartwright.test", name: "Demo Admin", role: "admin", password: "cartwright-admin-demo" },
  { email: "ada@cartwright.test", name: "Ada Lovelace", role: "customer", password: "cartwright-ada-demo" },
  { email: "grace@cartwright.test", name: "Grace Hopper", role: "customer", password: "cartwright-grace-demo" },
] as const;
