import { sum } from "./money";
import { applicationOrder, applyFreeShipping, discountLines } from "./promotions";
import { quoteShipping } from "./shipping";
import { shippingTaxOn, taxOn } from "./tax";
import type { PricingInput, PricingResult } from "./types";

/**
 * Prices a cart or an order (domain.md "Cart and pricing"): a pure function of its input, in integer
 * minor units, where no amount is ever negative or fractional. Each line's subtotal is unit price x quantity.
 *
 * Order of application:
 * 1. Promotions targeting items: buy X get Y first (an order-wide buy X get Y too), then percentage, then fixed.
 * 2. Order-level percentage.
 * 3. Order-level fixed.
 * 4. Free shipping.
 * Within a phase (and a kind, in phase 1), higher priority applies first, ties by id ascending; the order
 * the promotions arrive in never matters. Each promotion works on what is left of each line after the ones
 * before it, so no discount exceeds what it discounts and no line goes below 0.
 * - Percentage: per targeted line, what is left x percent / 100, rounded half up once per line (order-level too).
 * - Fixed: the amount, at most what is left of the targeted lines, spread over them by largest remainder in
 *   proportion to what is left of each, ties to the earlier line, so the shares sum exactly to it.
 * - Buy X get Y: each full set of buy + get targeted units earns get units at percent off (at most
 *   maxApplications sets), the cheapest units first, ties to the earlier line; per line units x unit price
 *   x percent / 100, rounded half up, at most what is left of the line.
 * - Free shipping: the whole shipping charge (the first one; a second finds nothing left).
 * Shipping is charged on the lines' total after every line discount (free-above compares that total with
 * its threshold) and their total weight. Tax is computed per line on its total after discounts, and on
 * shipping's total when the rate applies to shipping, each rounded half up: exclusive tax is added to the
 * total, inclusive tax is the part of it that is already tax.
 */
export function price(input: PricingInput): PricingResult {
  const discounted = discountLines(input.lines, applicationOrder(input.promotions));
  const itemsTotal = sum(discounted.lines.map((line) => line.total));
  const quote = quoteShipping(input.shippingMethod, input.lines, itemsTotal);
  const { applied, discount } = applyFreeShipping(discounted.applied, quote?.amount ?? 0);
  const shipping = quote && {
    ...quote,
    discount,
    total: quote.amount - discount,
    tax: shippingTaxOn(quote.amount - discount, input.tax),
  };
  const lines = discounted.lines.map((line) => ({ ...line, tax: taxOn(line.total, input.tax) }));

  const subtotal = sum(lines.map((line) => line.subtotal));
  const discountTotal = sum(lines.map((line) => line.discount));
  const shippingTotal = shipping?.total ?? 0;
  const taxTotal = sum(lines.map((line) => line.tax)) + (shipping?.tax ?? 0);
  const taxInclusive = input.tax?.inclusive ?? false;
  return {
    lines,
    subtotal,
    discountTotal,
    shippingTotal,
    taxTotal,
    total: subtotal - discountTotal + shippingTotal + (taxInclusive ? 0 : taxTotal),
    taxInclusive,
    shipping,
    promotions: applied.map(({ promotion, amount }) => ({ promotionId: promotion.id, code: promotion.code, amount })),
  };
}
