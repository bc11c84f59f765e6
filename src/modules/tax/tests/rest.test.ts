import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const admin = t.as(await t.user("admin"));
const BASE = "/api/v1/admin/tax-rates";
const MISSING = "01a20160-0000-7000-8000-0000000000aa";

const pathsOf = (body: { errors?: { path: string }[] }) => body.errors?.map((e) => e.path);

describe("/api/v1/admin/tax-rates", () => {
  test("create (201), get, update and delete (204) a rate", async () => {
    const created = await staff.rest.post(BASE, {
      country: "us",
      region: "ca",
      name: "Sales tax",
      rateBasisPoints: 725,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      country: "US",
      region: "CA",
      name: "Sales tax",
      rateBasisPoints: 725,
      appliesToShipping: false,
    });
    const id = created.body.id;
    expect((await staff.rest.get(`${BASE}/${id}`)).body).toEqual(created.body);

    const updated = await admin.rest.patch(`${BASE}/${id}`, { rateBasisPoints: 825, appliesToShipping: true });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ region: "CA", rateBasisPoints: 825, appliesToShipping: true });
    const widened = await admin.rest.patch(`${BASE}/${id}`, { region: null });
    expect(widened.body.region).toBeNull();

    const removed = await staff.rest.delete(`${BASE}/${id}`);
    expect(removed.status).toBe(204);
    expect((await staff.rest.get(`${BASE}/${id}`)).status).toBe(404);
  });

  test("lists newest first in pages, filtered by country", async () => {
    const a = (await staff.rest.post(BASE, { country: "CH", name: "MWST", rateBasisPoints: 810 })).body;
    const b = (await staff.rest.post(BASE, { country: "CH", region: "ZH", name: "Extra", rateBasisPoints: 10 })).body;
    await staff.rest.post(BASE, { country: "AT", name: "USt", rateBasisPoints: 2000 });
    const page = await staff.rest.get(`${BASE}?country=ch&limit=1`);
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([b]);
    const next = await staff.rest.get(`${BASE}?country=CH&limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body).toEqual({ items: [a], nextCursor: null });
  });

  test("a duplicate country and region is a 409 CONFLICT naming region, on create and update", async () => {
    await staff.rest.post(BASE, { country: "BE", name: "BTW", rateBasisPoints: 2100 });
    const other = (await staff.rest.post(BASE, { country: "BE", region: "BRU", name: "X", rateBasisPoints: 1 })).body;
    const dup = await staff.rest.post(BASE, { country: "BE", name: "Again", rateBasisPoints: 600 });
    expect(dup.status).toBe(409);
    expect(dup.headers.get("content-type")).toBe("application/problem+json");
    expect(dup.body).toMatchObject({ code: "CONFLICT", errors: [{ path: "region", message: "Already taken" }] });
    const moved = await staff.rest.patch(`${BASE}/${other.id}`, { region: null });
    expect(moved.status).toBe(409);
    expect(pathsOf(moved.body)).toEqual(["region"]);
  });

  test("an unknown id is a 404 NOT_FOUND problem on get, update and delete", async () => {
    for (const res of [
      await staff.rest.get(`${BASE}/${MISSING}`),
      await staff.rest.patch(`${BASE}/${MISSING}`, { name: "x" }),
      await staff.rest.delete(`${BASE}/${MISSING}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: "NOT_FOUND", detail: "Tax rate not found" });
    }
  });
});

describe("validation", () => {
  const refused = async (body: unknown, paths: string[]) => {
    const res = await staff.rest.post(BASE, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(pathsOf(res.body)).toEqual(paths);
  };
  const valid = { country: "PL", name: "VAT", rateBasisPoints: 2300 };

  test("a bad country, region or rate is a 400 naming it", async () => {
    await refused({ ...valid, country: "Poland" }, ["country"]);
    await refused({ ...valid, region: "PL-MZ" }, ["region"]);
    await refused({ ...valid, region: "" }, ["region"]);
    await refused({ ...valid, rateBasisPoints: 10_001 }, ["rateBasisPoints"]);
    await refused({ ...valid, rateBasisPoints: -1 }, ["rateBasisPoints"]);
    await refused({ ...valid, rateBasisPoints: 8.25 }, ["rateBasisPoints"]);
    await refused({ country: "PL" }, ["name", "rateBasisPoints"]);
    const list = await staff.rest.get(`${BASE}?country=ZZ`);
    expect(pathsOf(list.body)).toEqual(["country"]);
  });

  test("unknown fields are refused, each named, on create and update", async () => {
    await refused({ ...valid, percent: 23, id: MISSING }, ["percent", "id"]);
    const created = (await staff.rest.post(BASE, valid)).body;
    const update = await staff.rest.patch(`${BASE}/${created.id}`, { createdAt: "2020-01-01T00:00:00Z" });
    expect(update.status).toBe(400);
    expect(pathsOf(update.body)).toEqual(["createdAt"]);
    const empty = await staff.rest.patch(`${BASE}/${created.id}`, {});
    expect(empty.status).toBe(400);
    expect(pathsOf(empty.body)).toEqual(["(root)"]);
  });
});

describe("access", () => {
  test("anonymous callers are 401; customers and API keys, even with every scope, 403", async () => {
    const created = (await staff.rest.post(BASE, { country: "DK", name: "Moms", rateBasisPoints: 2500 })).body;
    const customer = t.as(await t.user());
    const key = await t.asKey(["catalog:write", "orders:write", "promotions:write", "customers:read"]);
    const calls = (rest: typeof staff.rest) => [
      rest.get(BASE),
      rest.post(BASE, { country: "DK", region: "84", name: "x", rateBasisPoints: 1 }),
      rest.get(`${BASE}/${created.id}`),
      rest.patch(`${BASE}/${created.id}`, { rateBasisPoints: 0 }),
      rest.delete(`${BASE}/${created.id}`),
    ];
    for (const res of await Promise.all(calls(t.rest))) expect(res.status).toBe(401);
    for (const caller of [customer, key]) {
      for (const res of await Promise.all(calls(caller.rest))) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe("FORBIDDEN");
      }
    }
    expect((await staff.rest.get(`${BASE}/${created.id}`)).body.rateBasisPoints).toBe(2500);
  });
});
