export * from "./catalog";
export * from "./idempotency";
