import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { methodBody } from "./methods";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const admin = t.as(await t.user("admin"));
const BASE = "/api/v1/admin/shipping-methods";
const MISSING = "01a20160-0000-7000-8000-0000000000aa";

const pathsOf = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

describe("/api/v1/admin/shipping-methods", () => {
  test("create (201), get, update and delete (204) a method", async () => {
    const created = await staff.rest.post(BASE, methodBody({ countries: ["us", "ca", "US"], description: "" }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Standard",
      description: null,
      countries: ["US", "CA"],
      rate: { kind: "flat", amount: 599 },
      estimatedDaysMin: null,
      estimatedDaysMax: null,
      enabled: true,
      position: 0,
    });
    const id = created.body.id;
    expect((await staff.rest.get(`${BASE}/${id}`)).body).toEqual(created.body);

    const updated = await admin.rest.patch(`${BASE}/${id}`, {
      name: "Economy",
      rate: { kind: "free_above", amount: 599, threshold: 5000 },
      estimatedDaysMin: 3,
      estimatedDaysMax: 7,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: "Economy",
      rate: { kind: "free_above", amount: 599, threshold: 5000 },
      estimatedDaysMin: 3,
      estimatedDaysMax: 7,
    });
    expect(Date.parse(updated.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    const removed = await staff.rest.delete(`${BASE}/${id}`);
    expect(removed.status).toBe(204);
    expect(removed.body).toBe("");
    expect((await staff.rest.get(`${BASE}/${id}`)).status).toBe(404);
  });

  test("lists newest first in pages, filtered by country and enabled", async () => {
    const a = (await staff.rest.post(BASE, methodBody({ countries: ["NZ"] }))).body;
    const b = (await staff.rest.post(BASE, methodBody({ countries: ["NZ", "FJ"], enabled: false }))).body;
    const c = (await staff.rest.post(BASE, methodBody({ countries: ["FJ"] }))).body;

    const nz = await staff.rest.get(`${BASE}?country=nz&limit=1`);
    expect(nz.status).toBe(200);
    expect(nz.body.items.map((m: { id: string }) => m.id)).toEqual([b.id]);
    const next = await staff.rest.get(`${BASE}?country=NZ&limit=1&cursor=${nz.body.nextCursor}`);
    expect(next.body).toEqual({ items: [a], nextCursor: null });

    const enabledFj = await staff.rest.get(`${BASE}?country=FJ&enabled=true`);
    expect(enabledFj.body.items.map((m: { id: string }) => m.id)).toEqual([c.id]);
    const disabled = await staff.rest.get(`${BASE}?enabled=false`);
    expect(disabled.body.items.map((m: { id: string }) => m.id)).toEqual([b.id]);
  });

  test("an unknown id is a 404 NOT_FOUND problem on get, update and delete", async () => {
    for (const res of [
      await staff.rest.get(`${BASE}/${MISSING}`),
      await staff.rest.patch(`${BASE}/${MISSING}`, { name: "x" }),
      await staff.rest.delete(`${BASE}/${MISSING}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body).toMatchObject({ code: "NOT_FOUND", detail: "Shipping method not found" });
    }
  });
});

describe("validation", () => {
  const refused = async (body: unknown, paths: string[]) => {
    const res = await staff.rest.post(BASE, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(pathsOf(res.body)).toEqual(paths);
    return res;
  };

  test("a negative or fractional amount is a 400 naming it", async () => {
    await refused(methodBody({ rate: { kind: "flat", amount: -1 } }), ["rate.amount"]);
    await refused(methodBody({ rate: { kind: "free_above", amount: 100, threshold: -1 } }), ["rate.threshold"]);
    await refused(methodBody({ rate: { kind: "flat", amount: 9.99 } }), ["rate.amount"]);
    await refused(methodBody({ rate: { kind: "weight", bands: [{ maxGrams: 10, amount: -3 }] } }), [
      "rate.bands.0.amount",
    ]);
  });

  test("unsorted or duplicate weight bands are a 400 naming the band out of order", async () => {
    const unsorted = await refused(
      methodBody({
        rate: {
          kind: "weight",
          bands: [
            { maxGrams: 500, amount: 1 },
            { maxGrams: 2000, amount: 2 },
            { maxGrams: 1000, amount: 3 },
          ],
        },
      }),
      ["rate.bands.2.maxGrams"],
    );
    expect(unsorted.body.errors[0].message).toContain("ascending");
    await refused(
      methodBody({
        rate: {
          kind: "weight",
          bands: [
            { maxGrams: 500, amount: 1 },
            { maxGrams: 500, amount: 2 },
          ],
        },
      }),
      ["rate.bands.1.maxGrams"],
    );
    await refused(methodBody({ rate: { kind: "weight", bands: [] } }), ["rate.bands"]);
    const many = Array.from({ length: 21 }, (_, i) => ({ maxGrams: (i + 1) * 100, amount: i }));
    await refused(methodBody({ rate: { kind: "weight", bands: many } }), ["rate.bands"]);
  });

  test("unknown fields are refused, each named, at the top and inside the rate", async () => {
    const res = await refused({ ...methodBody(), id: MISSING, createdAt: "2026-01-01T00:00:00Z" }, ["id", "createdAt"]);
    expect(res.body.errors[0]).toEqual({ path: "id", message: "Unknown field: id" });
    await refused(methodBody({ rate: { kind: "flat", amount: 1, threshold: 5 } as never }), ["rate.threshold"]);
    const update = await staff.rest.patch(`${BASE}/${MISSING}`, { priority: 1 });
    expect(update.status).toBe(400);
    expect(pathsOf(update.body)).toEqual(["priority"]);
  });

  test("a country that is not ISO 3166-1 alpha-2, no country, or an unknown rate kind is a 400 naming it", async () => {
    await refused(methodBody({ countries: ["US", "USA"] }), ["countries.1"]);
    await refused(methodBody({ countries: [] }), ["countries"]);
    await refused(methodBody({ rate: { kind: "pigeon" } as never }), ["rate.kind"]);
    const list = await staff.rest.get(`${BASE}?country=UK`);
    expect(list.status).toBe(400);
    expect(pathsOf(list.body)).toEqual(["country"]);
  });

  test("a delivery estimate out of order, a bad enabled filter or cursor is a 400 naming it", async () => {
    await refused(methodBody({ estimatedDaysMin: 5, estimatedDaysMax: 2 }), ["estimatedDaysMax"]);
    const flag = await staff.rest.get(`${BASE}?enabled=yes`);
    expect(pathsOf(flag.body)).toEqual(["enabled"]);
    const cursor = await staff.rest.get(`${BASE}?cursor=nope`);
    expect(cursor.status).toBe(400);
    expect(pathsOf(cursor.body)).toEqual(["cursor"]);
  });
});

describe("access", () => {
  test("anonymous callers are 401; customers and API keys, even with every scope, 403", async () => {
    const created = (await staff.rest.post(BASE, methodBody())).body;
    const customer = t.as(await t.user());
    const key = await t.asKey(["catalog:read", "catalog:write", "orders:write", "promotions:write"]);
    const calls = (rest: typeof staff.rest) => [
      rest.get(BASE),
      rest.post(BASE, methodBody()),
      rest.get(`${BASE}/${created.id}`),
      rest.patch(`${BASE}/${created.id}`, { name: "Mine" }),
      rest.delete(`${BASE}/${created.id}`),
    ];
    for (const res of await Promise.all(calls(t.rest))) expect(res.status).toBe(401);
    for (const caller of [customer, key]) {
      for (const res of await Promise.all(calls(caller.rest))) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe("FORBIDDEN");
      }
    }
    expect((await staff.rest.get(`${BASE}/${created.id}`)).body.name).toBe("Standard");
  });
});
