import { describe, expect, test } from "bun:test";
import { TRPCClientError } from "@trpc/client";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const base = "/api/v1/admin/promotions";
const paths = (res: { body: { errors?: { path: string }[] } }) => res.body.errors?.map((e) => e.path).sort();

describe("admin promotions over REST", () => {
  test("create (201), get, list newest first with usageCount, update and delete (204)", async () => {
    const a = await staff.rest.post(base, { name: "Ten off", code: "Admin10", kind: "percentage", percent: 10 });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ code: "Admin10", target: "order", stackable: false, enabled: true, usageCount: 0 });
    const b = await staff.rest.post(base, { name: "Free ship", kind: "free_shipping", minSubtotal: 7500 });
    expect(b.body).toMatchObject({ code: null, percent: null, minSubtotal: 7500 });
    expect((await staff.rest.get(`${base}/${a.body.id}`)).body).toEqual(a.body);

    const first = await staff.rest.get(`${base}?limit=1`);
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([b.body.id]);
    const next = await staff.rest.get(`${base}?limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body.items[0]).toMatchObject({ id: a.body.id, usageCount: 0 });

    const edited = await staff.rest.patch(`${base}/${a.body.id}`, { percent: 15, stackable: true });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ percent: 15, stackable: true, code: "Admin10" });
    expect((await staff.rest.delete(`${base}/${a.body.id}`)).status).toBe(204);
    expect((await staff.rest.get(`${base}/${a.body.id}`)).status).toBe(404);
  });

  test("list filters: code in any case, active now, kind", async () => {
    const hour = 3_600_000;
    const live = await makePromotion(t, { code: "FiltLive", kind: "fixed", amount: 300 });
    const later = await makePromotion(t, { code: "FiltLater", startsAt: new Date(Date.now() + hour).toISOString() });
    const off = await makePromotion(t, { code: "FiltOff", enabled: false });
    const ids = async (query: string) =>
      (await staff.rest.get(`${base}?limit=100&${query}`)).body.items.map((p: { id: string }) => p.id);
    expect(await ids("code=filtlive")).toEqual([live.id]);
    const active = await ids("active=true");
    expect(active).toContain(live.id);
    expect(active).not.toContain(later.id);
    expect(active).not.toContain(off.id);
    expect(await ids("active=false")).toEqual(expect.arrayContaining([later.id, off.id]));
    expect(await ids("kind=fixed")).toEqual([live.id]);
  });

  test("a duplicate code in any case is a 409 naming code", async () => {
    await makePromotion(t, { code: "DUPE-1" });
    const res = await staff.rest.post(base, { name: "Again", code: "dupe-1", kind: "percentage", percent: 5 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", errors: [{ path: "code", message: "Already taken" }] });
    const other = await makePromotion(t, { code: "DUPE-2" });
    expect((await staff.rest.patch(`${base}/${other.id}`, { code: "Dupe-1" })).status).toBe(409);
  });

  test("400 naming the field: percent 0 or 101, fixed without amount, endsAt before startsAt, unknown field, bad code", async () => {
    const body = { name: "Bad", kind: "percentage", percent: 10 };
    const cases: [unknown, string[]][] = [
      [{ ...body, percent: 0 }, ["percent"]],
      [{ ...body, percent: 101 }, ["percent"]],
      [{ name: "Bad", kind: "fixed" }, ["amount"]],
      [{ ...body, startsAt: "2027-01-02T00:00:00Z", endsAt: "2027-01-01T00:00:00Z" }, ["endsAt"]],
      [{ ...body, usageCount: 0 }, ["usageCount"]],
      [{ ...body, code: "no spaces!" }, ["code"]],
      [{ ...body, code: "ab" }, ["code"]],
      [{ ...body, amount: 100 }, ["amount"]],
      [{ ...body, target: "items" }, ["target"]],
      [{ name: "Ship", kind: "free_shipping", target: "items", productIds: [newId()] }, ["target"]],
      [{ ...body, productIds: [newId()] }, ["productIds"]],
    ];
    for (const [sent, named] of cases) {
      const res = await staff.rest.post(base, sent);
      expect({ sent, status: res.status, paths: paths(res) }).toEqual({ sent, status: 400, paths: named });
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
  });

  test("a PATCH is checked as the whole promotion it makes", async () => {
    const p = await makePromotion(t, { code: "PATCHME", startsAt: "2027-01-01T00:00:00Z" });
    const cases: [unknown, string[]][] = [
      [{ kind: "fixed" }, ["amount", "percent"]],
      [{ endsAt: "2026-12-31T00:00:00Z" }, ["endsAt"]],
      [{ percent: 101 }, ["percent"]],
      [{ id: newId() }, ["(root)", "id"]],
      [{}, ["(root)"]],
    ];
    for (const [sent, named] of cases) {
      const res = await staff.rest.patch(`${base}/${p.id}`, sent);
      expect({ sent, status: res.status, paths: paths(res) }).toEqual({ sent, status: 400, paths: named });
    }
    const changed = await staff.rest.patch(`${base}/${p.id}`, {
      kind: "buy_x_get_y",
      percent: null,
      buyQuantity: 2,
      getQuantity: 1,
    });
    expect(changed.body).toMatchObject({ kind: "buy_x_get_y", percent: 100, buyQuantity: 2, getQuantity: 1 });
  });

  test("an unknown id is a 404 for get, update and delete", async () => {
    const id = newId();
    expect((await staff.rest.get(`${base}/${id}`)).status).toBe(404);
    expect((await staff.rest.patch(`${base}/${id}`, { name: "X" })).status).toBe(404);
    expect((await staff.rest.delete(`${base}/${id}`)).status).toBe(404);
  });
});

describe("admin promotions over tRPC", () => {
  test("create, list, get, update and delete", async () => {
    const admin = staff.trpc.admin.promotions;
    const made = await admin.create.mutate({
      name: "B2G1",
      kind: "buy_x_get_y",
      buyQuantity: 2,
      getQuantity: 1,
      target: "items",
      collectionIds: [newId()],
      stackable: true,
    });
    expect(made).toMatchObject({ percent: 100, stackable: true, target: "items" });
    const listed = (await admin.list.query({ kind: "buy_x_get_y" })).items;
    expect(listed[0]?.id).toBe(made.id);
    expect(listed.every((p) => p.kind === "buy_x_get_y")).toBe(true);
    expect(await admin.get.query({ id: made.id })).toEqual(made);
    expect((await admin.update.mutate({ id: made.id, maxApplications: 3 })).maxApplications).toBe(3);
    await admin.delete.mutate({ id: made.id });
    const gone = await admin.get.query({ id: made.id }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(TRPCClientError);
    expect((gone as TRPCClientError<never>).data).toMatchObject({ code: "NOT_FOUND" });
  });

  test("a bad input is VALIDATION_FAILED naming the field; a duplicate code CONFLICT", async () => {
    const bad = await staff.trpc.admin.promotions.create.mutate({ name: "Bad", kind: "percentage", percent: 101 }).then(
      () => {
        throw new Error("accepted");
      },
      (e: unknown) => e as TRPCClientError<never>,
    );
    expect(bad.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400, errors: [{ path: "percent" }] });
    await makePromotion(t, { code: "TRPCDUP" });
    const dup = await staff.trpc.admin.promotions.create
      .mutate({ name: "Dup", kind: "percentage", percent: 1, code: "trpcdup" })
      .then(
        () => {
          throw new Error("accepted");
        },
        (e: unknown) => e as TRPCClientError<never>,
      );
    expect(dup.data).toMatchObject({ code: "CONFLICT" });
  });
});

describe("who may manage promotions", () => {
  test("an API key with promotions:write may; without it 403 naming the scope; a customer 403; a guest 401", async () => {
    const withScope = await t.asKey(["promotions:write"]);
    const created = await withScope.rest.post(base, { name: "By key", kind: "fixed", amount: 100 });
    expect(created.status).toBe(201);
    expect((await withScope.trpc.admin.promotions.get.query({ id: created.body.id })).name).toBe("By key");
    const without = await t.asKey(["catalog:write"]);
    const refused = await without.rest.get(base);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("promotions:write");
    const customer = t.as(await t.user());
    expect((await customer.rest.get(`${base}/${created.body.id}`)).status).toBe(403);
    expect((await t.rest.post(base, { name: "Anon", kind: "fixed", amount: 1 })).status).toBe(401);
  });
});
