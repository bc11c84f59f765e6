import { describe, expect, test } from "bun:test";
import { homeAddress, makeAddress } from "../../../tests/factories/addresses";
import { useTestApp } from "../../../tests/harness";
import { newId } from "../../lib/ids";

const t = await useTestApp();

/** A new signed-in customer, with REST calls that carry their session. */
const customer = async () => {
  const u = await t.user();
  const { rest, actor } = t.as(u);
  return {
    id: u.id,
    actor,
    list: () => rest.get("/api/v1/me/addresses"),
    create: (body: unknown) => rest.post("/api/v1/me/addresses", body),
    get: (id: string) => rest.get(`/api/v1/me/addresses/${id}`),
    update: (id: string, body: unknown) => rest.patch(`/api/v1/me/addresses/${id}`, body),
    remove: (id: string) => rest.delete(`/api/v1/me/addresses/${id}`),
  };
};

const rowOf = async (id: string) => {
  const [row] =
    await t.sql`select user_id, name, city, is_default_shipping, updated_at from addresses where id = ${id}`;
  return row;
};

describe("/api/v1/me/addresses", () => {
  test("create (201), list, get, update and delete (204) the caller's own address", async () => {
    const me = await customer();
    const created = await me.create({ ...homeAddress, country: "fr" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ country: "FR", isDefaultShipping: true, isDefaultBilling: true });
    expect((await rowOf(created.body.id))?.user_id).toBe(me.id);

    const list = await me.list();
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [created.body], nextCursor: null });
    expect((await me.get(created.body.id)).body).toEqual(created.body);

    const updated = await me.update(created.body.id, { line2: "Bâtiment B", region: "Île-de-France" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ line2: "Bâtiment B", region: "Île-de-France", city: "Paris" });

    const removed = await me.remove(created.body.id);
    expect(removed.status).toBe(204);
    expect(removed.body).toBe("");
    expect((await me.get(created.body.id)).status).toBe(404);
  });

  test("a new default billing address takes the flag from the first", async () => {
    const me = await customer();
    const first = await me.create(homeAddress);
    const second = await me.create({ ...homeAddress, name: "Work", isDefaultBilling: true });
    expect(second.body).toMatchObject({ isDefaultBilling: true, isDefaultShipping: false });
    expect((await me.get(first.body.id)).body).toMatchObject({ isDefaultBilling: false, isDefaultShipping: true });
  });

  test("the 21st address is a 409 problem and is not stored", async () => {
    const me = await customer();
    for (let i = 0; i < 20; i++) expect((await me.create({ ...homeAddress, name: `Address ${i}` })).status).toBe(201);
    const res = await me.create({ ...homeAddress, name: "One too many" });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ code: "CONFLICT", detail: "An address book holds at most 20 addresses" });
    expect((await me.list()).body.items).toHaveLength(20);
  });
});

describe("validation", () => {
  test('country "fr" is stored as FR; "France" is a 400 naming country', async () => {
    const me = await customer();
    const ok = await me.create({ ...homeAddress, country: "fr" });
    const [row] = await t.sql`select country from addresses where id = ${ok.body.id}`;
    expect(row?.country).toBe("FR");
    const bad = await me.create({ ...homeAddress, country: "France" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "country" }] });
  });

  test("names each missing or invalid field", async () => {
    const me = await customer();
    const res = await me.create({ name: "", city: "Paris", postalCode: "75001", country: "FR", phone: "call me" });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["line1", "name", "phone"]);
  });

  test("unknown fields in create and update bodies are refused, each named", async () => {
    const me = await customer();
    const other = await customer();
    const create = await me.create({ ...homeAddress, userId: other.id, id: newId() });
    expect(create.status).toBe(400);
    expect(create.body.errors).toEqual([
      { path: "userId", message: "Unknown field: userId" },
      { path: "id", message: "Unknown field: id" },
    ]);
    expect((await other.list()).body.items).toEqual([]);

    const created = await makeAddress(t, me);
    const update = await me.update(created.id, { id: newId(), userId: other.id });
    expect(update.status).toBe(400);
    expect(update.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["id", "userId"]);
    expect((await rowOf(created.id))?.user_id).toBe(me.id);
  });

  test("an id that is not a uuid is a 400 naming id", async () => {
    const me = await customer();
    for (const res of [await me.get("nope"), await me.update("nope", { city: "Lyon" }), await me.remove("nope")]) {
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["id"]);
    }
  });

  test("an empty update of one's own address is a 400", async () => {
    const me = await customer();
    const created = await makeAddress(t, me);
    const res = await me.update(created.id, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });
});

describe("ownership and access", () => {
  test("another customer's address is a 404 on get, update and delete, shaped like a missing one, and unchanged", async () => {
    const theirs = await makeAddress(t, await customer());
    const before = await rowOf(theirs.id);
    const me = await customer();

    const missing = await me.get(newId());
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: "NOT_FOUND", detail: "Address not found" });
    const shape = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

    for (const res of [
      await me.get(theirs.id),
      await me.update(theirs.id, { city: "Stolen", isDefaultShipping: false }),
      await me.update(theirs.id, {}),
      await me.remove(theirs.id),
    ]) {
      expect(res.status).toBe(404);
      expect(shape(res.body)).toEqual(shape(missing.body));
    }
    expect(await rowOf(theirs.id)).toEqual(before);
  });

  test("a guest is a 401 on every route", async () => {
    const id = newId();
    for (const res of [
      await t.rest.get("/api/v1/me/addresses"),
      await t.rest.post("/api/v1/me/addresses", homeAddress),
      await t.rest.get(`/api/v1/me/addresses/${id}`),
      await t.rest.patch(`/api/v1/me/addresses/${id}`, { city: "Lyon" }),
      await t.rest.delete(`/api/v1/me/addresses/${id}`),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("UNAUTHENTICATED");
    }
  });
});
