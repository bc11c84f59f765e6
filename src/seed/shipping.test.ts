import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../tests/harness";
import * as shipping from "../modules/shipping/service";
import * as tax from "../modules/tax/service";
import { DEMO_SHIPPING_METHODS, DEMO_TAX_RATES, seedShippingAndTax } from "./shipping";

const t = await useTestApp();
const seedCtx = t.ctx({ kind: "system", name: "seed" });

const counts = async () => {
  const [row] = await t.sql`select (select count(*) from shipping_methods)::int as methods,
                                   (select count(*) from tax_rates)::int as rates`;
  return row;
};

describe("seedShippingAndTax", () => {
  test("creates the demo methods and rates once; running it again creates nothing", async () => {
    const steps: string[] = [];
    const first = await seedShippingAndTax(seedCtx, (step, done, total) => steps.push(`${step} ${done}/${total}`));
    expect(first.created).toBe(DEMO_SHIPPING_METHODS.length + DEMO_TAX_RATES.length);
    expect(steps.at(-1)).toBe(`tax rates ${DEMO_TAX_RATES.length}/${DEMO_TAX_RATES.length}`);
    const before = await counts();
    expect(before).toEqual({ methods: DEMO_SHIPPING_METHODS.length, rates: DEMO_TAX_RATES.length });

    expect(await seedShippingAndTax(seedCtx, () => {})).toEqual({ created: 0 });
    expect(await counts()).toEqual(before);
  });

  test("serves every seeded country, with the brief's rates", async () => {
    const guest = t.ctx();
    for (const country of ["US", "CA", "GB", "DE", "FR", "NL", "AU"]) {
      expect((await shipping.methodsFor(guest, { country })).length).toBeGreaterThan(0);
    }
    expect((await shipping.methodsFor(guest, { country: "US" })).map((m) => m.rate)).toEqual([
      { kind: "free_above", amount: 599, threshold: 5000 },
      { kind: "flat", amount: 1999 },
    ]);
    const bp = async (country: string, region?: string) =>
      (await tax.taxFor(guest, { country, region }))?.rateBasisPoints ?? null;
    expect(await bp("US", "CA")).toBe(725);
    expect(await bp("US", "NY")).toBe(400);
    expect(await bp("US", "TX")).toBe(625);
    expect(await bp("US", "WA")).toBeNull();
    expect(await bp("CA", "ON")).toBe(1300);
    expect(await bp("CA", "QC")).toBe(500);
    expect(await tax.taxFor(guest, { country: "GB" })).toEqual({
      rateBasisPoints: 2000,
      appliesToShipping: true,
      inclusive: false,
    });
    expect([await bp("DE"), await bp("FR"), await bp("NL"), await bp("AU")]).toEqual([1900, 2000, 2100, 1000]);
  });
});
