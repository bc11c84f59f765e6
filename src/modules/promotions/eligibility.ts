import type { PricingLine } from "../pricing/service";
import type { PromotionDefinition } from "./definitions";

/** Why a code does not apply; `not_combinable` is the cart's answer to a second code (it decides that). */
export type CouponRefusal =
  | "not_found"
  | "expired"
  | "not_started"
  | "minimum_not_met"
  | "usage_limit_reached"
  | "not_eligible"
  | "not_combinable";

/** What a promotion's conditions are judged on. */
export interface PromotionFacts {
  now: Date;
  /** The cart's buyable lines. */
  lines: readonly PricingLine[];
  /** Sum of unitPrice x quantity of those lines. */
  subtotal: number;
  /** Null for guests. */
  customer: { userId: string; ordersPlaced: number } | null;
}

/** Redemptions so far: in total, and by the cart's customer (0 for guests). */
export interface Usage {
  total: number;
  mine: number;
}

/**
 * Why `def` does not apply to these facts, or null when it does: the first failing of dates,
 * minimum, usage, then customer and lines (the order of the brief, so a shopper hears the most
 * basic reason first). `usage` is needed only when `needsUsage` says so.
 */
export function refusalOf(
  def: PromotionDefinition,
  facts: PromotionFacts,
  usage: Usage | undefined,
): CouponRefusal | null {
  return refusalBeforeUsage(def, facts) ?? usageRefusal(def, usage) ?? eligibilityRefusal(def, facts);
}

/** Whether judging `def` takes its live usage: it has a limit, and the cheaper checks before usage pass. */
export function needsUsage(def: PromotionDefinition, facts: PromotionFacts): boolean {
  const limited = def.usageLimit !== null || (def.usageLimitPerCustomer !== null && facts.customer !== null);
  return limited && refusalBeforeUsage(def, facts) === null;
}

function refusalBeforeUsage(def: PromotionDefinition, facts: PromotionFacts): CouponRefusal | null {
  const now = facts.now.getTime();
  if (def.startsAt !== null && now < def.startsAt) return "not_started";
  if (def.endsAt !== null && now >= def.endsAt) return "expired";
  if (def.minSubtotal !== null && facts.subtotal < def.minSubtotal) return "minimum_not_met";
  return null;
}

function usageRefusal(def: PromotionDefinition, usage: Usage | undefined): CouponRefusal | null {
  if (!usage) return null;
  if (def.usageLimit !== null && usage.total >= def.usageLimit) return "usage_limit_reached";
  if (def.usageLimitPerCustomer !== null && usage.mine >= def.usageLimitPerCustomer) return "usage_limit_reached";
  return null;
}

function eligibilityRefusal(def: PromotionDefinition, facts: PromotionFacts): CouponRefusal | null {
  const { customer } = facts;
  // Guests cannot be told apart before checkout: whatever depends on who the shopper is (a list,
  // their orders, a per-customer count) asks for a sign-in.
  const forCustomers =
    def.customersOnly || def.customerIds.length > 0 || def.firstOrderOnly || def.usageLimitPerCustomer !== null;
  if (!customer && forCustomers) return "not_eligible";
  if (customer && def.customerIds.length > 0 && !def.customerIds.includes(customer.userId)) return "not_eligible";
  if (customer && def.firstOrderOnly && customer.ordersPlaced > 0) return "not_eligible";
  if (def.target.kind === "items" && !facts.lines.some((line) => targets(def, line))) return "not_eligible";
  return null;
}

/** Whether `def` discounts `line`: every line for an order target, else one matching any of the lists. */
export function targets(def: PromotionDefinition, line: PricingLine): boolean {
  const t = def.target;
  if (t.kind === "order") return true;
  return (
    t.productIds.includes(line.productId) ||
    t.variantIds.includes(line.variantId) ||
    line.categoryIds.some((id) => t.categoryIds.includes(id)) ||
    line.collectionIds.some((id) => t.collectionIds.includes(id))
  );
}
