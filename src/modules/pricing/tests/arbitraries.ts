import fc from "fast-check";
import type {
  PricingInput,
  PricingLine,
  PricingPromotion,
  PricingShippingMethod,
  PricingTax,
  PromotionEffect,
  PromotionTarget,
} from "../types";

// Small pools of ids so that targets often match (and often do not).
const PRODUCTS = ["p1", "p2", "p3", "p4"];
const VARIANTS = ["v1", "v2", "v3", "v4", "v5"];
const CATEGORIES = ["c1", "c2", "c3", "c4"];
const COLLECTIONS = ["k1", "k2", "k3"];

const MAX_UNIT_PRICE = 2 ** 31 - 1;

/** Minor units: anything up to `max`, and often small amounts, where rounding and ties bite. */
export const amount = (max = MAX_UNIT_PRICE) => fc.oneof(fc.integer({ min: 0, max }), fc.integer({ min: 0, max: 300 }));

const someOf = (pool: string[]) => fc.subarray(pool);

const lineFields = fc.record({
  productId: fc.constantFrom(...PRODUCTS),
  variantId: fc.constantFrom(...VARIANTS),
  categoryIds: someOf(CATEGORIES),
  collectionIds: someOf(COLLECTIONS),
  unitPrice: amount(),
  quantity: fc.integer({ min: 1, max: 99 }),
  weightGrams: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.constant(0)),
});

export const lines: fc.Arbitrary<PricingLine[]> = fc
  .array(lineFields, { minLength: 1, maxLength: 20 })
  .map((all) => all.map((fields, i) => ({ id: `line-${i}`, ...fields })));

const target: fc.Arbitrary<PromotionTarget> = fc.oneof(
  fc.constant({ kind: "order" as const }),
  fc.record({
    kind: fc.constant("items" as const),
    productIds: someOf(PRODUCTS),
    variantIds: someOf(VARIANTS),
    categoryIds: someOf(CATEGORIES),
    collectionIds: someOf(COLLECTIONS),
  }),
);

const percent = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 33, 50, 99, 100));

const effects: Record<PromotionEffect["kind"], fc.Arbitrary<PromotionEffect>> = {
  percentage: fc.record({ kind: fc.constant("percentage" as const), percent }),
  fixed: fc.record({ kind: fc.constant("fixed" as const), amount: amount(2 ** 40) }),
  free_shipping: fc.constant({ kind: "free_shipping" as const }),
  buy_x_get_y: fc.record({
    kind: fc.constant("buy_x_get_y" as const),
    buyQuantity: fc.integer({ min: 1, max: 5 }),
    getQuantity: fc.integer({ min: 1, max: 3 }),
    percent,
    maxApplications: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  }),
};

const promotionOf = (effect: fc.Arbitrary<PromotionEffect>) =>
  fc.record({
    tag: fc.string({ unit: fc.constantFrom("a", "b", "z"), maxLength: 3 }),
    code: fc.option(fc.constantFrom("SAVE10", "FREESHIP"), { nil: null }),
    effect,
    target,
    // A narrow range, so that equal priorities (decided by id) are common.
    priority: fc.integer({ min: -2, max: 2 }),
  });

/** 0..5 promotions of every kind, each with any target, unique ids in random order. */
export const promotions: fc.Arbitrary<PricingPromotion[]> = fc
  .tuple(...Object.values(effects).map((effect) => fc.array(promotionOf(effect), { maxLength: 5 })))
  .map((groups) =>
    // The position after the ":" keeps ids unique; the random tag before it shuffles their order.
    groups.flat().map(({ tag, ...fields }, i) => ({ ...fields, id: `${tag}:${i}`, name: `promotion ${i}` })),
  );

export const shippingMethod: fc.Arbitrary<PricingShippingMethod | null> = fc.option(
  fc.record({
    id: fc.constant("ship"),
    name: fc.constant("Standard"),
    rate: fc.oneof(
      fc.record({ kind: fc.constant("flat" as const), amount: amount(100_000) }),
      fc.record({ kind: fc.constant("free_above" as const), amount: amount(100_000), threshold: amount(2 ** 36) }),
      fc.record({
        kind: fc.constant("weight" as const),
        bands: fc.array(fc.record({ maxGrams: fc.integer({ min: 0, max: 200_000 }), amount: amount(100_000) }), {
          maxLength: 4,
        }),
      }),
    ),
  }),
  { nil: null },
);

export const tax: fc.Arbitrary<PricingTax | null> = fc.option(
  fc.record({
    rateBasisPoints: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(825, 2000, 1950)),
    inclusive: fc.boolean(),
    appliesToShipping: fc.boolean(),
  }),
  { nil: null },
);

export const input: fc.Arbitrary<PricingInput> = fc.record({ lines, promotions, shippingMethod, tax });
