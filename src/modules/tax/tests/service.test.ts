import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { z } from "zod";
import { serviceError } from "../../../../tests/errors";
import { createTestApp, useTestApp } from "../../../../tests/harness";
import type { CreateTaxRateInput } from "../schemas";
import * as tax from "../service";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const guest = t.ctx();
const inclusiveGuest = { ...guest, store: { ...guest.store, pricesIncludeTax: true } };

const makeRate = (input: z.input<typeof CreateTaxRateInput>) => tax.createTaxRate(staff.ctx, input);

describe("taxFor", () => {
  test("a region's own rate wins over its country's; other regions get the country's", async () => {
    await makeRate({ country: "CA", name: "GST", rateBasisPoints: 500 });
    await makeRate({ country: "CA", region: "ON", name: "HST", rateBasisPoints: 1300, appliesToShipping: true });
    const on = { rateBasisPoints: 1300, appliesToShipping: true, inclusive: false };
    expect(await tax.taxFor(guest, { country: "CA", region: "ON" })).toEqual(on);
    // An address's region is free text: the code in any case, or with its country prefix, finds the region.
    for (const region of ["on", " CA-ON ", "ca-on"]) {
      expect(await tax.taxFor(guest, { country: "ca", region })).toEqual(on);
    }
    const gst = { rateBasisPoints: 500, appliesToShipping: false, inclusive: false };
    for (const region of ["QC", "Ontario", null, undefined, ""]) {
      expect(await tax.taxFor(guest, { country: "CA", region })).toEqual(gst);
    }
  });

  test("no rate for the region nor the country is null", async () => {
    await makeRate({ country: "US", region: "NY", name: "Sales tax", rateBasisPoints: 400 });
    expect(await tax.taxFor(guest, { country: "US", region: "OR" })).toBeNull();
    expect(await tax.taxFor(guest, { country: "US" })).toBeNull();
    expect(await tax.taxFor(guest, { country: "JP", region: "13" })).toBeNull();
    // Another country's region of the same code is not this one's.
    expect(await tax.taxFor(guest, { country: "US", region: "ON" })).toBeNull();
  });

  test("prices include the tax as PRICES_INCLUDE_TAX says", async () => {
    await makeRate({ country: "NL", name: "BTW", rateBasisPoints: 2100 });
    expect(await tax.taxFor(inclusiveGuest, { country: "NL" })).toEqual({
      rateBasisPoints: 2100,
      appliesToShipping: false,
      inclusive: true,
    });
    expect((await tax.taxFor(guest, { country: "NL" }))?.inclusive).toBe(false);
  });

  test("the app's own setting reaches it from the config", async () => {
    const app = await createTestApp({ env: { PRICES_INCLUDE_TAX: "true" } });
    try {
      const system = app.ctx({ kind: "system", name: "test" });
      await tax.createTaxRate(system, { country: "DE", name: "MwSt", rateBasisPoints: 1900 });
      expect((await tax.taxFor(app.ctx(), { country: "DE" }))?.inclusive).toBe(true);
      expect(t.deps.config.PRICES_INCLUDE_TAX).toBe(false);
    } finally {
      await app.close();
    }
  });

  test("is cached, and the next read after an admin write sees the change", async () => {
    const rate = await makeRate({ country: "FR", name: "TVA", rateBasisPoints: 2000 });
    expect((await tax.taxFor(guest, { country: "FR" }))?.rateBasisPoints).toBe(2000);
    await t.sql`update tax_rates set rate_basis_points = 1 where id = ${rate.id}`;
    expect((await tax.taxFor(guest, { country: "FR" }))?.rateBasisPoints).toBe(2000);

    await staff.rest.patch(`/api/v1/admin/tax-rates/${rate.id}`, { rateBasisPoints: 550 });
    expect((await tax.taxFor(guest, { country: "FR" }))?.rateBasisPoints).toBe(550);
    const region = await staff.trpc.admin.taxRates.create.mutate({
      country: "FR",
      region: "H",
      name: "Corse",
      rateBasisPoints: 1000,
    });
    expect((await tax.taxFor(guest, { country: "FR", region: "FR-H" }))?.rateBasisPoints).toBe(1000);
    await staff.trpc.admin.taxRates.delete.mutate({ id: region.id });
    expect((await tax.taxFor(guest, { country: "FR", region: "H" }))?.rateBasisPoints).toBe(550);
  });

  test("answers its region's rate, else its country's, else null, for any set of rates (property)", async () => {
    const REGIONS = ["A", "B", "C"] as const;
    const rates = fc.record({
      country: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      A: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      B: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      C: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(rates, async (model) => {
        await t.sql`delete from tax_rates where country = 'SE'`;
        if (model.country !== undefined)
          await makeRate({ country: "SE", name: "Moms", rateBasisPoints: model.country });
        for (const r of REGIONS) {
          const bp = model[r];
          if (bp !== undefined) await makeRate({ country: "SE", region: r, name: `Region ${r}`, rateBasisPoints: bp });
        }
        for (const r of [...REGIONS, null]) {
          const expected = (r === null ? undefined : model[r]) ?? model.country;
          const found = await tax.taxFor(guest, { country: "SE", region: r });
          expect(found?.rateBasisPoints ?? null).toBe(expected ?? null);
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe("writes", () => {
  test("a second rate for one country and region, or a second country-wide one, is CONFLICT naming region", async () => {
    await makeRate({ country: "AU", name: "GST", rateBasisPoints: 1000 });
    await makeRate({ country: "AU", region: "nsw", name: "Extra", rateBasisPoints: 100 });
    for (const input of [
      { country: "AU", name: "Again", rateBasisPoints: 1 },
      { country: "au", region: "NSW", name: "Again", rateBasisPoints: 1 },
    ]) {
      const err = await serviceError(makeRate(input));
      expect(err.code).toBe("CONFLICT");
      expect(err.details?.errors).toEqual([{ path: "region", message: "Already taken" }]);
    }
    const [row] = await t.sql`select count(*)::int as n from tax_rates where country = 'AU'`;
    expect(row?.n).toBe(2);
  });

  test("an empty update is a 400, an unknown id a 404", async () => {
    const rate = await makeRate({ country: "NO", name: "MVA", rateBasisPoints: 2500 });
    expect((await serviceError(tax.updateTaxRate(staff.ctx, { id: rate.id }))).code).toBe("VALIDATION_FAILED");
    const missing = "01a20160-0000-7000-8000-0000000000aa";
    expect((await serviceError(tax.updateTaxRate(staff.ctx, { id: missing, name: "x" }))).code).toBe("NOT_FOUND");
    expect((await serviceError(tax.deleteTaxRate(staff.ctx, { id: missing }))).code).toBe("NOT_FOUND");
  });

  test("the table refuses a rate outside 0..10000, a lower-case region or country", async () => {
    for (const [country, region, bp] of [
      ["IT", null, 10_001],
      ["IT", null, -1],
      ["IT", "rm", 100],
      ["it", null, 100],
    ] as const) {
      await expect(
        t.sql`insert into tax_rates (id, country, region, name, rate_basis_points)
              values (gen_random_uuid(), ${country}, ${region}, 'Raw', ${bp})`,
      ).rejects.toMatchObject({ code: "23514" });
    }
  });

  test("customers and API keys are refused by the service itself", async () => {
    const customer = t.as(await t.user());
    const key = await t.asKey(["orders:write"]);
    for (const ctx of [customer.ctx, key.ctx]) {
      expect((await serviceError(tax.listTaxRates(ctx, {}))).code).toBe("FORBIDDEN");
      const create = tax.createTaxRate(ctx, { country: "US", name: "x", rateBasisPoints: 1 });
      expect((await serviceError(create)).code).toBe("FORBIDDEN");
    }
  });
});
