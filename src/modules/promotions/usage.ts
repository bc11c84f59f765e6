import { and, eq, inArray, sql } from "drizzle-orm";
import { promotionRedemptions, promotions } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import type { Usage } from "./eligibility";

/**
 * The live usage of these promotions (those with a limit), in one small query by primary key:
 * the cached definitions never hold counts, which change with every checkout.
 */
export async function readUsage(ctx: Ctx, ids: readonly string[], userId: string | null): Promise<Map<string, Usage>> {
  if (ids.length === 0) return new Map();
  const mine = userId
    ? sql<number>`(select count(*)::int from ${promotionRedemptions}
        where ${and(eq(promotionRedemptions.promotionId, promotions.id), eq(promotionRedemptions.userId, userId))})`
    : sql<number>`0`;
  const rows = await ctx.db
    .select({ id: promotions.id, total: promotions.usageCount, mine })
    .from(promotions)
    .where(inArray(promotions.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { total: r.total, mine: r.mine }]));
}
