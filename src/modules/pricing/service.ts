import type { PricingResult } from "./types";

/** The pricing module's public surface: carts and checkout price through these, and nothing else of it. */
export { price } from "./price";
export { shippingAmount } from "./shipping";
export type * from "./types";

/** A result's totals alone: what a cart shows under `totals` and an order keeps in its columns. */
export const totalsOf = ({ subtotal, discountTotal, shippingTotal, taxTotal, total, taxInclusive }: PricingResult) => ({
  subtotal,
  discountTotal,
  shippingTotal,
  taxTotal,
  total,
  taxInclusive,
});
