import { describe, expect, test } from "bun:test";
import { serviceError } from "../../../../tests/errors";
import { useTestApp } from "../../../../tests/harness";
import * as shipping from "../service";
import { makeMethod } from "./methods";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const guest = t.ctx();

describe("methodsFor", () => {
  test("answers the enabled methods serving the country, by position, with their display fields", async () => {
    const later = await makeMethod(staff.ctx, { name: "Express", countries: ["IE"], position: 2 });
    const first = await makeMethod(staff.ctx, {
      name: "Standard",
      countries: ["ie", "PT"],
      position: 1,
      description: "Tracked",
      estimatedDaysMin: 2,
      estimatedDaysMax: 4,
      rate: { kind: "free_above", amount: 499, threshold: 4000 },
    });
    await makeMethod(staff.ctx, { name: "Off", countries: ["IE"], enabled: false });
    await makeMethod(staff.ctx, { name: "Elsewhere", countries: ["PT"] });

    const options = await shipping.methodsFor(guest, { country: "ie", region: "D" });
    expect(options.map((o) => o.id)).toEqual([first.id, later.id]);
    expect(options[0]).toEqual({
      id: first.id,
      name: "Standard",
      description: "Tracked",
      countries: ["IE", "PT"],
      rate: { kind: "free_above", amount: 499, threshold: 4000 },
      estimatedDaysMin: 2,
      estimatedDaysMax: 4,
    });
  });

  test("answers none for a country nobody ships to, and refuses a country that is not one", async () => {
    expect(await shipping.methodsFor(guest, { country: "MN" })).toEqual([]);
    const err = await serviceError(shipping.methodsFor(guest, { country: "XX" }));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.details?.errors?.map((e) => e.path)).toEqual(["country"]);
  });

  test("is cached, and the next read after an admin write sees the change", async () => {
    const m = await makeMethod(staff.ctx, { countries: ["IS"], rate: { kind: "flat", amount: 900 } });
    expect((await shipping.methodsFor(guest, { country: "IS" })).map((o) => o.rate)).toEqual([
      { kind: "flat", amount: 900 },
    ]);
    // Behind the service's back: the cached answer stands until a shipping write.
    await t.sql`update shipping_methods set name = 'Sneaky' where id = ${m.id}`;
    expect((await shipping.methodsFor(guest, { country: "IS" }))[0]?.name).toBe("Standard");

    await staff.trpc.admin.shippingMethods.update.mutate({ id: m.id, rate: { kind: "flat", amount: 1100 } });
    expect(await shipping.methodsFor(guest, { country: "IS" })).toMatchObject([
      { name: "Sneaky", rate: { kind: "flat", amount: 1100 } },
    ]);
    await staff.rest.patch(`/api/v1/admin/shipping-methods/${m.id}`, { enabled: false });
    expect(await shipping.methodsFor(guest, { country: "IS" })).toEqual([]);
    await staff.rest.patch(`/api/v1/admin/shipping-methods/${m.id}`, { enabled: true });
    expect(await shipping.methodsFor(guest, { country: "IS" })).toHaveLength(1);
    await staff.rest.delete(`/api/v1/admin/shipping-methods/${m.id}`);
    expect(await shipping.methodsFor(guest, { country: "IS" })).toEqual([]);
  });
});

describe("methodFor", () => {
  test("answers an enabled method, and null for a disabled or unknown one", async () => {
    const on = await makeMethod(staff.ctx, { countries: ["LU"] });
    const off = await makeMethod(staff.ctx, { countries: ["LU"], enabled: false });
    expect(await shipping.methodFor(guest, on.id)).toMatchObject({ id: on.id, countries: ["LU"] });
    expect(await shipping.methodFor(guest, off.id)).toBeNull();
    expect(await shipping.methodFor(guest, "01a20160-0000-7000-8000-0000000000aa")).toBeNull();
  });

  test("is cached, and refreshed by an admin write", async () => {
    const m = await makeMethod(staff.ctx, { countries: ["MT"] });
    expect(await shipping.methodFor(guest, m.id)).not.toBeNull();
    await staff.trpc.admin.shippingMethods.update.mutate({ id: m.id, enabled: false });
    expect(await shipping.methodFor(guest, m.id)).toBeNull();
  });
});

describe("updateShippingMethod", () => {
  test("checks the delivery estimate against the stored half, naming the field sent", async () => {
    const m = await makeMethod(staff.ctx, { estimatedDaysMin: 2, estimatedDaysMax: 4 });
    const min = await serviceError(shipping.updateShippingMethod(staff.ctx, { id: m.id, estimatedDaysMin: 5 }));
    expect(min.details?.errors).toEqual([
      { path: "estimatedDaysMin", message: "estimatedDaysMin must be at most estimatedDaysMax" },
    ]);
    const max = await serviceError(shipping.updateShippingMethod(staff.ctx, { id: m.id, estimatedDaysMax: 1 }));
    expect(max.details?.errors?.map((e) => e.path)).toEqual(["estimatedDaysMax"]);
    const cleared = await shipping.updateShippingMethod(staff.ctx, { id: m.id, estimatedDaysMax: null });
    expect(cleared).toMatchObject({ estimatedDaysMin: 2, estimatedDaysMax: null });
  });

  test("changing the rate's kind replaces the whole rate", async () => {
    const m = await makeMethod(staff.ctx, { rate: { kind: "free_above", amount: 500, threshold: 3000 } });
    const updated = await shipping.updateShippingMethod(staff.ctx, {
      id: m.id,
      rate: { kind: "weight", bands: [{ maxGrams: 1000, amount: 700 }] },
    });
    expect(updated.rate).toEqual({ kind: "weight", bands: [{ maxGrams: 1000, amount: 700 }] });
    const [row] = await t.sql`select rate from shipping_methods where id = ${m.id}`;
    expect(row?.rate).toEqual({ kind: "weight", bands: [{ maxGrams: 1000, amount: 700 }] });
  });

  test("an empty change is a 400, and an unknown id a 404 first", async () => {
    const m = await makeMethod(staff.ctx);
    expect((await serviceError(shipping.updateShippingMethod(staff.ctx, { id: m.id }))).code).toBe("VALIDATION_FAILED");
    const missing = shipping.updateShippingMethod(staff.ctx, { id: "01a20160-0000-7000-8000-0000000000aa" });
    expect((await serviceError(missing)).code).toBe("NOT_FOUND");
  });
});

describe("the shipping_methods table", () => {
  const insert = (rate: unknown, extra = "") =>
    t.sql.unsafe(
      `insert into shipping_methods (id, name, countries, rate${extra ? ", estimated_days_min, estimated_days_max" : ""})
       values (gen_random_uuid(), 'Raw', '{US}', $1::jsonb${extra})`,
      [JSON.stringify(rate)],
    );

  test("refuses a negative or fractional amount anywhere in a rate, and an unknown kind", async () => {
    for (const rate of [
      { kind: "flat", amount: -1 },
      { kind: "free_above", amount: 100, threshold: -5 },
      {
        kind: "weight",
        bands: [
          { maxGrams: 100, amount: 5 },
          { maxGrams: 200, amount: -5 },
        ],
      },
      { kind: "flat", amount: 1.5 },
      { kind: "pigeon", amount: 1 },
    ]) {
      await expect(insert(rate)).rejects.toMatchObject({ code: "23514" });
    }
    await insert({ kind: "flat", amount: 0 });
  });

  test("refuses a delivery estimate out of order, and countries that are not upper-case alpha-2", async () => {
    await expect(insert({ kind: "flat", amount: 1 }, ", 5, 2")).rejects.toMatchObject({ code: "23514" });
    for (const countries of ["{}", "{us}", "{USA}"]) {
      await expect(
        t.sql`insert into shipping_methods (id, name, countries, rate)
              values (gen_random_uuid(), 'Raw', ${countries}::text[], '{"kind":"flat","amount":1}')`,
      ).rejects.toMatchObject({ code: "23514" });
    }
  });
});

describe("access", () => {
  test("customers and API keys are refused by the service itself", async () => {
    const customer = t.as(await t.user());
    const key = await t.asKey(["catalog:write"]);
    for (const ctx of [customer.ctx, key.ctx]) {
      expect((await serviceError(shipping.listShippingMethods(ctx, {}))).code).toBe("FORBIDDEN");
      expect(
        (
          await serviceError(
            shipping.createShippingMethod(ctx, { name: "x", countries: ["US"], rate: { kind: "flat", amount: 1 } }),
          )
        ).code,
      ).toBe("FORBIDDEN");
    }
    expect((await serviceError(shipping.listShippingMethods(guest, {}))).code).toBe("UNAUTHENTICATED");
  });
});
