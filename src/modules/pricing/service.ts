/** The pricing module's public surface: carts and checkout price through these, and nothing else of it. */
export { price } from "./price";
export { shippingAmount } from "./shipping";
export type * from "./types";
