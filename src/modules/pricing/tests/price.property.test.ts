import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { allocate } from "../allocate";
import { price } from "../service";
import type { PricingInput, PricingLine, PricingPromotion, PricingResult, PromotionTarget } from "../types";
import { amount, input } from "./arbitraries";

/** Every number anywhere in `value`. */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The test's own reading of the targeting rule, to check the function against. */
function matches(target: PromotionTarget, line: PricingLine): boolean {
  if (target.kind === "order") return true;
  const ids = [line.productId, line.variantId, ...line.categoryIds, ...line.collectionIds];
  const listed = new Set([...target.productIds, ...target.variantIds, ...target.categoryIds, ...target.collectionIds]);
  return ids.some((id) => listed.has(id));
}

/**
 * What was left of each line just before `promotion` applied: its subtotal less the adjustments of the
 * promotions listed before it (result.promotions is the order of application).
 */
function leftBefore(result: PricingResult, promotion: PricingPromotion): number[] {
  const position = new Map(result.promotions.map((p, i) => [p.promotionId, i]));
  const mine = position.get(promotion.id) ?? -1;
  return result.lines.map(
    (line) =>
      line.subtotal -
      sum(line.adjustments.filter((a) => (position.get(a.promotionId) ?? -1) < mine).map((a) => a.amount)),
  );
}

const shareOf = (result: PricingResult, lineIndex: number, promotionId: string) =>
  result.lines[lineIndex]?.adjustments.find((a) => a.promotionId === promotionId)?.amount ?? 0;

describe("price: invariants", () => {
  test("every amount is a non-negative integer, and the totals add up", () => {
    fc.assert(
      fc.property(input, (cart) => {
        const result = price(cart);
        for (const n of numbersIn(result)) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);

        for (const [i, line] of result.lines.entries()) {
          const source = cart.lines[i] as PricingLine;
          expect(line.subtotal).toBe(source.unitPrice * source.quantity);
          expect(line.discount).toBeLessThanOrEqual(line.subtotal);
          expect(sum(line.adjustments.map((a) => a.amount))).toBe(line.discount);
          expect(line.adjustments.every((a) => a.amount > 0)).toBe(true);
          expect(line.total).toBe(line.subtotal - line.discount);
        }
        expect(result.subtotal).toBe(sum(result.lines.map((l) => l.subtotal)));
        expect(result.discountTotal).toBe(sum(result.lines.map((l) => l.discount)));
        expect(result.discountTotal).toBeLessThanOrEqual(result.subtotal);

        const shipping = result.shipping;
        expect(shipping === null).toBe(cart.shippingMethod === null);
        if (shipping) {
          expect(shipping.discount).toBeLessThanOrEqual(shipping.amount);
          expect(shipping.total).toBe(shipping.amount - shipping.discount);
          if (!shipping.available) expect(numbersIn(shipping)).toEqual([0, 0, 0, 0]);
        }
        expect(result.shippingTotal).toBe(shipping?.total ?? 0);
        expect(result.taxTotal).toBe(sum(result.lines.map((l) => l.tax)) + (shipping?.tax ?? 0));
        expect(result.taxInclusive).toBe(cart.tax?.inclusive ?? false);
        const taxAdded = result.taxInclusive ? 0 : result.taxTotal;
        expect(result.total).toBe(result.subtotal - result.discountTotal + result.shippingTotal + taxAdded);

        expect(result.promotions.map((p) => p.promotionId).sort()).toEqual(cart.promotions.map((p) => p.id).sort());
        expect(sum(result.promotions.map((p) => p.amount))).toBe(result.discountTotal + (shipping?.discount ?? 0));
      }),
      { numRuns: 3000 },
    );
  });

  test("a fixed promotion takes min(amount, what was left of its targets), its shares summing to it; a percentage never more than ceil(percent% of what was left) per line", () => {
    fc.assert(
      fc.property(input, (cart) => {
        const result = price(cart);
        for (const promotion of cart.promotions) {
          const { effect } = promotion;
          if (effect.kind !== "fixed" && effect.kind !== "percentage") continue;
          const left = leftBefore(result, promotion);
          const targeted = cart.lines.map((line) => matches(promotion.target, line));
          const taken = result.promotions.find((p) => p.promotionId === promotion.id)?.amount;
          const shares = cart.lines.map((_, i) => shareOf(result, i, promotion.id));
          expect(sum(shares)).toBe(taken as number);
          for (const [i, share] of shares.entries()) {
            const leftOfLine = left[i] as number;
            if (!targeted[i]) expect(share).toBe(0);
            expect(share).toBeLessThanOrEqual(leftOfLine);
            if (effect.kind === "percentage")
              expect(share).toBeLessThanOrEqual(Math.ceil((leftOfLine * effect.percent) / 100));
          }
          if (effect.kind === "fixed") {
            const leftOfTargets = sum(left.filter((_, i) => targeted[i]));
            expect(taken).toBe(Math.min(effect.amount, leftOfTargets));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("price: deterministic", () => {
  test("the same input, and a structured clone of it, price deep-equal, and the input is left as it was", () => {
    fc.assert(
      fc.property(input, (cart) => {
        const untouched = structuredClone(cart);
        const first = price(cart);
        expect(cart).toEqual(untouched);
        expect(price(cart)).toEqual(first);
        expect(price(structuredClone(cart))).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  test("the order promotions (and weight bands) arrive in never changes the result", () => {
    const reordered = input.chain((cart) =>
      fc.record({
        cart: fc.constant(cart),
        promotions: fc.shuffledSubarray([...cart.promotions], { minLength: cart.promotions.length }),
        bands:
          cart.shippingMethod?.rate.kind === "weight"
            ? fc.shuffledSubarray([...cart.shippingMethod.rate.bands], {
                minLength: cart.shippingMethod.rate.bands.length,
              })
            : fc.constant([]),
      }),
    );
    fc.assert(
      fc.property(reordered, ({ cart, promotions, bands }) => {
        const method = cart.shippingMethod;
        const shuffled: PricingInput = {
          ...cart,
          promotions,
          shippingMethod: method?.rate.kind === "weight" ? { ...method, rate: { kind: "weight", bands } } : method,
        };
        expect(price(shuffled)).toEqual(price(cart));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("allocate", () => {
  const weights = fc.array(amount(), { minLength: 1, maxLength: 20 });

  test("parts are non-negative integers summing exactly to the amount, each at most the ceiling of its share", () => {
    const cases = weights
      .filter((ws) => sum(ws) > 0)
      .chain((ws) => fc.record({ weights: fc.constant(ws), amount: fc.oneof(amount(sum(ws)), amount(2 ** 44)) }));
    fc.assert(
      fc.property(cases, ({ weights, amount }) => {
        const parts = allocate(amount, weights);
        const total = BigInt(sum(weights));
        expect(parts).toHaveLength(weights.length);
        expect(sum(parts)).toBe(amount);
        for (const [i, part] of parts.entries()) {
          expect(Number.isSafeInteger(part) && part >= 0).toBe(true);
          const exact = BigInt(amount) * BigInt(weights[i] as number);
          const ceilShare = (exact + total - 1n) / total;
          expect(BigInt(part) <= ceilShare).toBe(true);
          if (amount <= sum(weights)) expect(part).toBeLessThanOrEqual(weights[i] as number);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("weights summing to 0 take nothing", () => {
    expect(allocate(0, [0, 0, 0])).toEqual([0, 0, 0]);
    expect(allocate(0, [])).toEqual([]);
  });
});
