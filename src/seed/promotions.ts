import { eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { collections, promotions } from "../db/schema";
import type { Ctx } from "../lib/context";
import * as admin from "../modules/promotions/admin";
import type { CreatePromotionInput } from "../modules/promotions/schemas";
import type { Progress } from "./progress";

/** The collection the demo's buy 2 get 1 free runs on (seeded by seedCatalog, which must run first). */
const BUY_TWO_COLLECTION = "summer-sale";

type Seeded = z.input<typeof CreatePromotionInput>;

/**
 * The demo promotions, through the promotions service: the SAVE10 code, free shipping over 75.00
 * and buy 2 get 1 free on the Summer Sale. Running it again changes nothing: each is found by its
 * code, or an automatic one by its name.
 */
export async function seedPromotions(ctx: Ctx, progress: Progress): Promise<{ created: number }> {
  const [summer] = await ctx.db
    .select({ id: collections.id })
    .from(collections)
    .where(eq(collections.slug, BUY_TWO_COLLECTION));
  if (!summer) throw new Error(`seedPromotions needs the "${BUY_TWO_COLLECTION}" collection: run seedCatalog first`);
  const demo: Seeded[] = [
    { name: "10% off your order", code: "SAVE10", kind: "percentage", percent: 10, stackable: false },
    { name: "Free shipping over $75", kind: "free_shipping", minSubtotal: 7500, stackable: true },
    {
      name: "Summer Sale: buy 2, get 1 free",
      kind: "buy_x_get_y",
      buyQuantity: 2,
      getQuantity: 1,
      percent: 100,
      target: "items",
      collectionIds: [summer.id],
      stackable: true,
    },
  ];
  let created = 0;
  for (const [i, promotion] of demo.entries()) {
    if (!(await exists(ctx, promotion))) {
      await admin.createPromotion(ctx, promotion);
      created++;
    }
    progress("promotions", i + 1, demo.length);
  }
  return { created };
}

async function exists(ctx: Ctx, p: Seeded): Promise<boolean> {
  const where = p.code
    ? sql`lower(${promotions.code}) = lower(${p.code})`
    : sql`${isNull(promotions.code)} and ${eq(promotions.name, p.name)}`;
  const [found] = await ctx.db.select({ id: promotions.id }).from(promotions).where(where);
  return found !== undefined;
}
