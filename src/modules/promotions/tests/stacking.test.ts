import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";
import type { PromotionDefinition } from "../definitions";
import * as promotions from "../service";
import { selectForStacking } from "../stacking";

// One database per file, and automatic promotions apply to every cart: each test marks its own by a product.
const t = await useTestApp();
const ctx = t.ctx();

/** A cart of one line of a product only this test's promotions target. */
async function scene() {
  const productId = newId();
  const auto = (fields: Parameters<typeof makePromotion>[1]) =>
    makePromotion(t, { target: "items", productIds: [productId], ...fields });
  const facts: promotions.PromotionFacts = {
    now: new Date(),
    lines: [
      {
        id: newId(),
        productId,
        variantId: newId(),
        categoryIds: [],
        collectionIds: [],
        unitPrice: 5000,
        quantity: 3,
        weightGrams: 1,
      },
    ],
    subtotal: 15000,
    customer: null,
  };
  const applied = async (code: string | null = null) =>
    (await promotions.promotionsForCart(ctx, { code, facts })).applied.map((p) => p.id).filter((id) => mine.has(id));
  const mine = new Set<string>();
  const made = async (fields: Parameters<typeof makePromotion>[1]) => {
    const p = await auto(fields);
    mine.add(p.id);
    return p.id;
  };
  return { made, applied };
}

describe("stacking", () => {
  test("of two non-stackable automatics, the higher priority one applies", async () => {
    const { made, applied } = await scene();
    await made({ priority: 1 });
    const high = await made({ priority: 5 });
    expect(await applied()).toEqual([high]);
  });

  test("a non-stackable code beats a non-stackable automatic; stackables apply beside it", async () => {
    const { made, applied } = await scene();
    await made({ priority: 100 });
    const extra = await made({ stackable: true, kind: "fixed", amount: 100 });
    const code = `PICK-${newId().slice(-8)}`;
    const chosen = await made({ code });
    expect(await applied(code)).toEqual([chosen, extra]);
  });

  test("a stackable code applies beside the best non-stackable automatic and every stackable one", async () => {
    const { made, applied } = await scene();
    const best = await made({ priority: 2 });
    await made({ priority: 1 });
    const s1 = await made({ stackable: true });
    const s2 = await made({ stackable: true, kind: "free_shipping", target: "order", productIds: [] });
    const code = `PLUS-${newId().slice(-8)}`;
    const chosen = await made({ code, stackable: true });
    expect(new Set(await applied(code))).toEqual(new Set([best, s1, s2, chosen]));
  });

  test("an automatic promotion failing a condition is simply not applied; a code is applied only when entered", async () => {
    const { made, applied } = await scene();
    await made({ stackable: true, minSubtotal: 100_000 });
    await made({ stackable: true, code: `ONLY-${newId().slice(-8)}` });
    const ok = await made({ stackable: true });
    expect(await applied()).toEqual([ok]);
  });
});

const definition = fc.record({
  id: fc.uuid(),
  priority: fc.integer({ min: -3, max: 3 }),
  stackable: fc.boolean(),
});
const asDefinition = (d: { id: string; priority: number; stackable: boolean }, code: string | null) =>
  ({ ...d, code }) as PromotionDefinition;

describe("selectForStacking (property)", () => {
  test("never two non-stackable promotions; every eligible stackable one; the code whenever given", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(definition, { selector: (d) => d.id, maxLength: 8 }),
        fc.option(definition, { nil: null }),
        (autos, code) => {
          const automatics = autos.map((d) => asDefinition(d, null));
          const entered = code && asDefinition(code, "CODE");
          const selected = selectForStacking(entered, automatics);
          expect(selected.filter((d) => !d.stackable).length).toBeLessThanOrEqual(1);
          for (const s of automatics.filter((d) => d.stackable)) expect(selected).toContain(s);
          if (entered) expect(selected).toContain(entered);
          const exclusive = automatics.filter((d) => !d.stackable);
          if (exclusive.length > 0 && !(entered && !entered.stackable)) {
            const top = Math.max(...exclusive.map((d) => d.priority));
            expect(selected.some((d) => !d.stackable && d.priority === top)).toBe(true);
          }
          expect(new Set(selected).size).toBe(selected.length);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });
});
