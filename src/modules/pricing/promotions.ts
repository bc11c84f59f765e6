import { allocate } from "./allocate";
import { fractionOf, sum } from "./money";
import type { PricedLine, PricingLine, PricingPromotion, PromotionEffect, PromotionTarget } from "./types";

/** A promotion and what it took off, lines and shipping together. */
export interface AppliedPromotion {
  promotion: PricingPromotion;
  amount: number;
}

/** A line while promotions apply: what is left of it and who took the rest. */
interface LineState {
  line: PricingLine;
  subtotal: number;
  left: number;
  adjustments: PricedLine["adjustments"];
}

/**
 * Each kind's rank in the order of application (price.ts's doc comment): 1-3 are phase 1's kinds in
 * turn, 4 and 5 phases 2 and 3, 6 phase 4. Buy X get Y counts units at their shelf price, so an
 * order-wide one ranks with the item ones, before any percentage or fixed discount.
 */
const RANK: Record<PromotionTarget["kind"], Record<PromotionEffect["kind"], number>> = {
  items: { buy_x_get_y: 1, percentage: 2, fixed: 3, free_shipping: 6 },
  order: { buy_x_get_y: 1, percentage: 4, fixed: 5, free_shipping: 6 },
};

/** The promotions in the order they apply: by rank, then higher priority, then id; never by input order. */
export function applicationOrder(promotions: readonly PricingPromotion[]): PricingPromotion[] {
  const rank = (p: PricingPromotion) => RANK[p.target.kind][p.effect.kind];
  // Ids compare by code unit, not locale, so every machine applies ties in the same order.
  return [...promotions].sort(
    (a, b) => rank(a) - rank(b) || b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Applies every promotion of `order` to the lines in turn, each on what the earlier ones left. */
export function discountLines(
  lines: readonly PricingLine[],
  order: readonly PricingPromotion[],
): { lines: Omit<PricedLine, "tax">[]; applied: AppliedPromotion[] } {
  const states: LineState[] = lines.map((line) => {
    const subtotal = line.unitPrice * line.quantity;
    return { line, subtotal, left: subtotal, adjustments: [] };
  });
  const applied = order.map((promotion) => {
    const targeted = states.filter((state) => targets(promotion.target, state.line));
    const parts = takes(promotion.effect, targeted);
    targeted.forEach((state, i) => {
      const amount = parts[i] ?? 0;
      if (amount === 0) return;
      state.left -= amount;
      state.adjustments.push({ promotionId: promotion.id, amount });
    });
    return { promotion, amount: sum(parts) };
  });
  return {
    lines: states.map(({ line, subtotal, left, adjustments }) => ({
      id: line.id,
      subtotal,
      discount: subtotal - left,
      total: left,
      adjustments,
    })),
    applied,
  };
}

/**
 * Free shipping takes the whole shipping charge: the first one in order does, later ones find nothing
 * left. Its target is not looked at: shipping is the order's, and whether an items-targeted one applies
 * at all is a condition, decided before pricing.
 */
export function applyFreeShipping(
  applied: readonly AppliedPromotion[],
  shippingAmount: number,
): { applied: AppliedPromotion[]; discount: number } {
  let left = shippingAmount;
  const withShipping = applied.map(({ promotion, amount }) => {
    if (promotion.effect.kind !== "free_shipping") return { promotion, amount };
    const taken = left;
    left = 0;
    return { promotion, amount: amount + taken };
  });
  return { applied: withShipping, discount: shippingAmount - left };
}

/** A line matches an items target when its product, variant, any category (ancestors included) or any collection is listed. */
function targets(target: PromotionTarget, line: PricingLine): boolean {
  if (target.kind === "order") return true;
  return (
    target.productIds.includes(line.productId) ||
    target.variantIds.includes(line.variantId) ||
    line.categoryIds.some((id) => target.categoryIds.includes(id)) ||
    line.collectionIds.some((id) => target.collectionIds.includes(id))
  );
}

/** What `effect` takes off each targeted line (same order), never more than is left of it. */
function takes(effect: PromotionEffect, targeted: readonly LineState[]): number[] {
  switch (effect.kind) {
    case "percentage":
      // Rounded half up once per line (domain.md); percent <= 100 keeps it within what is left.
      return targeted.map((state) => fractionOf(state.left, effect.percent, 100));
    case "fixed": {
      const left = targeted.map((state) => state.left);
      return allocate(Math.min(effect.amount, sum(left)), left);
    }
    case "buy_x_get_y":
      return buyXGetY(effect, targeted);
    case "free_shipping":
      return targeted.map(() => 0);
  }
}

/**
 * Every complete set of buy + get targeted units earns `getQuantity` discounted units (at most
 * `maxApplications` sets), taken from the cheapest units first, ties to the earlier line.
 */
function buyXGetY(effect: Extract<PromotionEffect, { kind: "buy_x_get_y" }>, targeted: readonly LineState[]): number[] {
  const units = sum(targeted.map((state) => state.line.quantity));
  const fullSets = Math.floor(units / (effect.buyQuantity + effect.getQuantity));
  const sets = effect.maxApplications === null ? fullSets : Math.min(fullSets, effect.maxApplications);
  let discounted = sets * effect.getQuantity;
  const picks = targeted.map((state) => ({ state, units: 0 }));
  // Array#sort is stable: lines of the same unit price keep their order.
  for (const pick of [...picks].sort((a, b) => a.state.line.unitPrice - b.state.line.unitPrice)) {
    pick.units = Math.min(discounted, pick.state.line.quantity);
    discounted -= pick.units;
  }
  return picks.map(({ state, units }) =>
    Math.min(state.left, fractionOf(units * state.line.unitPrice, effect.percent, 100)),
  );
}
