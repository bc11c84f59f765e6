// One table file per module; drizzle-kit reads this list (drizzle.config.ts).
export * from "./addresses";
export * from "./api-keys";
export * from "./carts";
export * from "./catalog";
export * from "./idempotency";
export * from "./identity";
export * from "./orders";
export * from "./promotions";
export * from "./search";
export * from "./shipping";
