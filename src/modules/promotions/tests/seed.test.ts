import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";
import { seedCatalog } from "../../../seed/catalog";
import { seedPromotions } from "../../../seed/promotions";
import * as promotions from "../service";

const t = await useTestApp();
const ctx = t.ctx({ kind: "system", name: "seed" });
const noProgress = () => {};

describe("seedPromotions", () => {
  test("seeds SAVE10, free shipping over 7500 and buy 2 get 1 on a collection, once", async () => {
    await seedCatalog(ctx, { products: 5 }, noProgress);
    expect(await seedPromotions(ctx, noProgress)).toEqual({ created: 3 });
    expect(await seedPromotions(ctx, noProgress)).toEqual({ created: 0 });

    const [summer] = await t.sql`select id from collections where slug = 'summer-sale'`;
    const line = { id: newId(), productId: newId(), variantId: newId(), categoryIds: [], weightGrams: 1 };
    const facts = {
      now: new Date(),
      lines: [{ ...line, collectionIds: [summer?.id], unitPrice: 4000, quantity: 3 }],
      subtotal: 12000,
      customer: null,
    };
    const read = await promotions.promotionsForCart(t.ctx(), { code: "save10", facts });
    expect(read.code).toMatchObject({ code: "SAVE10", refusal: null });
    expect(read.applied.map((p) => p.effect.kind).sort()).toEqual(["buy_x_get_y", "free_shipping", "percentage"]);
  });
});
