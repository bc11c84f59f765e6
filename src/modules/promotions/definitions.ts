import { eq } from "drizzle-orm";
import { promotions } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import type { TxCtx } from "../../lib/transaction";
import type { PricingPromotion, PromotionEffect, PromotionTarget } from "../pricing/service";
import { DEFAULT_GET_PERCENT } from "./rules";

/** Invalidated after every admin write: the cached definitions are stale. */
export const PROMOTIONS_TAG = "promotions";
const CACHE_KEY = "promotions:enabled";

type PromotionRow = typeof promotions.$inferSelect;

/**
 * An enabled promotion as cart reads evaluate it: plain JSON (it lives in the cache), dates as epoch
 * milliseconds. Usage counts are not here: they change at every checkout and are read live.
 */
export interface PromotionDefinition {
  id: string;
  code: string | null;
  name: string;
  priority: number;
  stackable: boolean;
  effect: PromotionEffect;
  target: PromotionTarget;
  startsAt: number | null;
  endsAt: number | null;
  minSubtotal: number | null;
  firstOrderOnly: boolean;
  customersOnly: boolean;
  customerIds: string[];
  usageLimit: number | null;
  usageLimitPerCustomer: number | null;
}

/** Every enabled promotion, from the cache (tag PROMOTIONS_TAG); a disabled one is as good as absent. */
export function loadDefinitions(ctx: Ctx): Promise<PromotionDefinition[]> {
  return ctx.cache.wrap(CACHE_KEY, { tags: [PROMOTIONS_TAG] }, async () => {
    const rows = await ctx.db.select().from(promotions).where(eq(promotions.enabled, true));
    return rows.map(toDefinition);
  });
}

/** Marks the cached definitions stale once `tx` commits: a reader in between would cache the old ones anew. */
export const invalidateDefinitions = (tx: TxCtx) => tx.afterCommit(() => tx.cache.invalidateTags([PROMOTIONS_TAG]));

/** The one case-insensitive lookup of a code among the definitions. */
export function findByCode(defs: readonly PromotionDefinition[], code: string): PromotionDefinition | undefined {
  const wanted = code.toLowerCase();
  return defs.find((d) => d.code?.toLowerCase() === wanted);
}

export const toPricingPromotion = (d: PromotionDefinition): PricingPromotion => ({
  id: d.id,
  code: d.code,
  name: d.name,
  effect: d.effect,
  target: d.target,
  priority: d.priority,
});

function toDefinition(row: PromotionRow): PromotionDefinition {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    priority: row.priority,
    stackable: row.stackable,
    effect: effectOf(row),
    target:
      row.target === "order"
        ? { kind: "order" }
        : {
            kind: "items",
            productIds: row.productIds,
            variantIds: row.variantIds,
            categoryIds: row.categoryIds,
            collectionIds: row.collectionIds,
          },
    startsAt: row.startsAt?.getTime() ?? null,
    endsAt: row.endsAt?.getTime() ?? null,
    minSubtotal: row.minSubtotal,
    firstOrderOnly: row.firstOrderOnly,
    customersOnly: row.customersOnly,
    customerIds: row.customerIds,
    usageLimit: row.usageLimit,
    usageLimitPerCustomer: row.usageLimitPerCustomer,
  };
}

// The table's promotions_kind_fields check guarantees the kind's fields are set.
function effectOf(row: PromotionRow): PromotionEffect {
  switch (row.kind) {
    case "percentage":
      return { kind: "percentage", percent: row.percent ?? 0 };
    case "fixed":
      return { kind: "fixed", amount: row.amount ?? 0 };
    case "free_shipping":
      return { kind: "free_shipping" };
    case "buy_x_get_y":
      return {
        kind: "buy_x_get_y",
        buyQuantity: row.buyQuantity ?? 0,
        getQuantity: row.getQuantity ?? 0,
        percent: row.percent ?? DEFAULT_GET_PERCENT,
        maxApplications: row.maxApplications,
      };
  }
}
