import { fractionOf } from "./money";
import type { PricingTax } from "./types";

const BASIS_POINTS = 10_000;

/**
 * The tax on `amount` (a line's or shipping's total after discounts), rounded half up once per amount
 * (domain.md "Cart and pricing": tax per line on the discounted amount). Exclusive tax is added on top,
 * amount x rate; inclusive tax is the part of `amount` that is tax, amount x rate / (1 + rate).
 */
export function taxOn(amount: number, tax: PricingTax | null): number {
  if (!tax) return 0;
  const bp = tax.rateBasisPoints;
  return fractionOf(amount, bp, tax.inclusive ? BASIS_POINTS + bp : BASIS_POINTS);
}

/** The tax on shipping's total: as on a line, when the rate applies to shipping. */
export function shippingTaxOn(amount: number, tax: PricingTax | null): number {
  return tax?.appliesToShipping ? taxOn(amount, tax) : 0;
}
