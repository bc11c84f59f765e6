import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { useTestApp } from "../../../../tests/harness";
import { MAX_WEIGHT_BANDS, ShippingRate } from "../schemas";
import * as shipping from "../service";
import { makeMethod } from "./methods";

const t = await useTestApp();
const guest = t.ctx();

const amount = fc.integer({ min: 0, max: 2_147_483_647 });
const band = fc.record({ maxGrams: fc.integer({ min: 1, max: 60 }), amount: fc.integer({ min: 0, max: 10_000 }) });
const validRate = fc.oneof(
  fc.record({ kind: fc.constant("flat" as const), amount }),
  fc.record({ kind: fc.constant("free_above" as const), amount, threshold: amount }),
  fc
    .uniqueArray(fc.integer({ min: 1, max: 2_147_483_647 }), { minLength: 1, maxLength: MAX_WEIGHT_BANDS })
    .chain((grams) =>
      fc.tuple(...grams.map(() => fc.integer({ min: 0, max: 100_000 }))).map((amounts) => ({
        kind: "weight" as const,
        bands: [...grams].sort((a, b) => a - b).map((maxGrams, i) => ({ maxGrams, amount: amounts[i] ?? 0 })),
      })),
    ),
);

describe("ShippingRate", () => {
  test("accepts weight bands exactly when their maxGrams strictly ascend", () => {
    fc.assert(
      fc.property(fc.array(band, { minLength: 1, maxLength: MAX_WEIGHT_BANDS }), (bands) => {
        const ascending = bands.every((b, i) => i === 0 || b.maxGrams > (bands[i - 1]?.maxGrams ?? 0));
        expect(ShippingRate.safeParse({ kind: "weight", bands }).success).toBe(ascending);
      }),
    );
  });

  test("refuses any negative amount, in any kind", () => {
    const negative = fc.integer({ min: -2_147_483_648, max: -1 });
    fc.assert(
      fc.property(
        fc.oneof(
          negative.map((a) => ({ kind: "flat", amount: a })),
          fc.tuple(negative, amount).map(([a, th]) => ({ kind: "free_above", amount: a, threshold: th })),
          fc.tuple(amount, negative).map(([a, th]) => ({ kind: "free_above", amount: a, threshold: th })),
          negative.map((a) => ({
            kind: "weight",
            bands: [
              { maxGrams: 1, amount: 0 },
              { maxGrams: 2, amount: a },
            ],
          })),
        ),
        (rate) => expect(ShippingRate.safeParse(rate).success).toBe(false),
      ),
    );
  });

  test("any valid rate is stored and offered back unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(validRate, async (rate) => {
        const m = await makeMethod(t.ctx(), { rate, countries: ["GL"] });
        expect((await shipping.methodFor(guest, m.id))?.rate).toEqual(rate);
      }),
      { numRuns: 30 },
    );
  });
});
