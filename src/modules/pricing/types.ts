/**
 * What the one pricing function (./price.ts) takes and gives: plain data, integer
 * minor units, no I/O. Carts price with it on every read, and checkout prices the
 * order with it again, so a cart and its order can never disagree by a cent.
 */

/** One line to price: a cart line, later an order line. */
export interface PricingLine {
  id: string;
  productId: string;
  variantId: string;
  /** The product's category and every ancestor of it, so a category target includes its descendants. */
  categoryIds: readonly string[];
  collectionIds: readonly string[];
  /** Minor units, >= 0. */
  unitPrice: number;
  /** An integer, >= 1. */
  quantity: number;
  /** Per unit, >= 0. */
  weightGrams: number;
}

/** Which lines a promotion discounts: the whole order, or lines matching any of the lists. */
export type PromotionTarget =
  | { kind: "order" }
  | {
      kind: "items";
      productIds: readonly string[];
      variantIds: readonly string[];
      categoryIds: readonly string[];
      collectionIds: readonly string[];
    };

/** What a promotion does. */
export type PromotionEffect =
  /** `percent` (1..100) off each targeted line, rounded half-up once per line. */
  | { kind: "percentage"; percent: number }
  /** `amount` off once per order, spread over the targeted lines by largest remainder, never more than they cost. */
  | { kind: "fixed"; amount: number }
  /** The shipping amount becomes 0. */
  | { kind: "free_shipping" }
  /**
   * For every `buyQuantity` targeted units bought, `getQuantity` more targeted units get `percent` off
   * (100 = free), the cheapest units first; at most `maxApplications` times when set.
   */
  | { kind: "buy_x_get_y"; buyQuantity: number; getQuantity: number; percent: number; maxApplications: number | null };

/** A promotion that already passed its conditions (dates, minimum, customer, usage): pricing only does the math. */
export interface PricingPromotion {
  id: string;
  /** The code a shopper entered, or null for an automatic promotion. */
  code: string | null;
  name: string;
  effect: PromotionEffect;
  target: PromotionTarget;
  /** Higher applies first within its phase (see price.ts); ties by id. */
  priority: number;
}

/** How a shipping method charges. */
export type ShippingRate =
  | { kind: "flat"; amount: number }
  /** `amount`, or free when the lines' total after discounts is at least `threshold`. */
  | { kind: "free_above"; amount: number; threshold: number }
  /** The first band (ascending `maxGrams`) whose `maxGrams` holds the cart's total weight; heavier than the last: unavailable. */
  | { kind: "weight"; bands: readonly { maxGrams: number; amount: number }[] };

export interface PricingShippingMethod {
  id: string;
  name: string;
  rate: ShippingRate;
}

/** The destination's tax: a rate in basis points (825 = 8.25%). */
export interface PricingTax {
  rateBasisPoints: number;
  /** Prices already contain the tax (the total then contains it too); else it is added on top. */
  inclusive: boolean;
  /** Whether shipping is taxed at the same rate. */
  appliesToShipping: boolean;
}

export interface PricingInput {
  lines: readonly PricingLine[];
  /** Already selected for stacking (promotions module); applied in price.ts's order. */
  promotions: readonly PricingPromotion[];
  shippingMethod: PricingShippingMethod | null;
  /** Null: no rate for the destination (or none known yet), no tax. */
  tax: PricingTax | null;
}

export interface PricedLine {
  id: string;
  /** unitPrice x quantity. */
  subtotal: number;
  /** Every promotion's share of this line, item and order level; <= subtotal. */
  discount: number;
  /** subtotal - discount. */
  total: number;
  /** Tax on `total` (contained in it when inclusive). */
  tax: number;
  /** Each promotion's share of `discount`, in application order; zero shares left out. */
  adjustments: { promotionId: string; amount: number }[];
}

export interface PricedShipping {
  methodId: string;
  /** False when the rate cannot ship these lines (heavier than its last band): amounts are then 0. */
  available: boolean;
  /** What the rate charges. */
  amount: number;
  /** What free shipping took off `amount`. */
  discount: number;
  /** amount - discount. */
  total: number;
  tax: number;
}

export interface PricingResult {
  lines: PricedLine[];
  /** Sum of the lines' subtotals. */
  subtotal: number;
  /** Sum of the lines' discounts (free shipping is in `shipping.discount`, not here). */
  discountTotal: number;
  /** The shipping charged, after free shipping; 0 without a method. */
  shippingTotal: number;
  /** Lines' tax plus shipping's. */
  taxTotal: number;
  /** subtotal - discountTotal + shippingTotal, + taxTotal when exclusive. */
  total: number;
  taxInclusive: boolean;
  shipping: PricedShipping | null;
  /** What each promotion took off (lines and shipping), in application order, zeros included. */
  promotions: { promotionId: string; code: string | null; amount: number }[];
}
