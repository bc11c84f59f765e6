export * from "./catalog";
export * from "./idempotency";
export * from "./identity";
