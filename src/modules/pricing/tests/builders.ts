import type {
  PricingInput,
  PricingLine,
  PricingPromotion,
  PricingShippingMethod,
  PromotionEffect,
  PromotionTarget,
  ShippingRate,
} from "../types";

type ItemLists = Omit<Extract<PromotionTarget, { kind: "items" }>, "kind">;

/** A line `id` of product `p-<id>` and variant `v-<id>`: one unit at 10.00, weightless, in no category. */
export function line(id: string, fields: Partial<Omit<PricingLine, "id">> = {}): PricingLine {
  return {
    id,
    productId: `p-${id}`,
    variantId: `v-${id}`,
    categoryIds: [],
    collectionIds: [],
    unitPrice: 1000,
    quantity: 1,
    weightGrams: 0,
    ...fields,
  };
}

export const ORDER: PromotionTarget = { kind: "order" };

export function items(lists: Partial<ItemLists>): PromotionTarget {
  return { kind: "items", productIds: [], variantIds: [], categoryIds: [], collectionIds: [], ...lists };
}

/** An automatic promotion (no code) on the whole order at priority 0 unless told. */
export function promotion(
  id: string,
  effect: PromotionEffect,
  fields: Partial<Pick<PricingPromotion, "target" | "priority" | "code">> = {},
): PricingPromotion {
  return { id, code: null, name: id, effect, target: ORDER, priority: 0, ...fields };
}

export const percentage = (percent: number): PromotionEffect => ({ kind: "percentage", percent });
export const fixed = (amount: number): PromotionEffect => ({ kind: "fixed", amount });
export const freeShipping: PromotionEffect = { kind: "free_shipping" };
export const buyXGetY = (
  buyQuantity: number,
  getQuantity: number,
  fields: { percent?: number; maxApplications?: number | null } = {},
): PromotionEffect => ({
  kind: "buy_x_get_y",
  buyQuantity,
  getQuantity,
  percent: fields.percent ?? 100,
  maxApplications: fields.maxApplications ?? null,
});

export const shippingBy = (rate: ShippingRate): PricingShippingMethod => ({ id: "ship", name: "Standard", rate });

export function cart(fields: Partial<PricingInput>): PricingInput {
  return { lines: [], promotions: [], shippingMethod: null, tax: null, ...fields };
}
