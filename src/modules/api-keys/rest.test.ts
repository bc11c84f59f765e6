import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const asAdmin = (await t.user("admin")).headers;
const asStaff = (await t.user("staff")).headers;
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

const createKey = async (body: unknown, headers = asAdmin) => t.rest.post("/api/v1/admin/api-keys", body, { headers });
const newKey = async (scopes: string[], name = "test key") => {
  const res = await createKey({ name, scopes });
  expect(res.status).toBe(201);
  return res.body as { key: { id: string; prefix: string }; secret: string };
};

describe("an API key on the REST facade", () => {
  test("without customers:read: 403 FORBIDDEN naming the scope", async () => {
    const { secret } = await newKey(["catalog:read"]);
    expect(secret).toStartWith("ck_");
    const res = await t.rest.get("/api/v1/admin/customers", { headers: bearer(secret) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("FORBIDDEN");
    expect(res.body.detail).toContain("customers:read");
  });

  test("with customers:read: 200; once revoked, the very next request is 401", async () => {
    const { key, secret } = await newKey(["customers:read"]);
    const ok = await t.rest.get("/api/v1/admin/customers", { headers: bearer(secret) });
    expect(ok.status).toBe(200);

    const revoked = await t.rest.delete(`/api/v1/admin/api-keys/${key.id}`, { headers: asAdmin });
    expect(revoked.status).toBe(204);
    const after = await t.rest.get("/api/v1/admin/customers", { headers: bearer(secret) });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("UNAUTHENTICATED");
  });

  test("the list shows prefix, scopes and lastUsedAt after use, but never the secret or its hash", async () => {
    const { key, secret } = await newKey(["customers:read", "orders:read"], "Listed");
    await t.rest.get("/api/v1/admin/customers", { headers: bearer(secret) });

    const res = await t.rest.get("/api/v1/admin/api-keys?limit=100", { headers: asAdmin });
    expect(res.status).toBe(200);
    const listed = res.body.items.find((k: { id: string }) => k.id === key.id);
    expect(listed).toMatchObject({
      name: "Listed",
      prefix: secret.slice(0, 11),
      scopes: ["customers:read", "orders:read"],
    });
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(listed.revokedAt).toBeNull();
    expect(Object.keys(listed).sort()).toEqual(
      ["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scopes"].sort(),
    );
    expect(JSON.stringify(res.body)).not.toContain(secret);

    const rows = await t.sql`select * from api_keys`;
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  test("pages newest first, and a garbage cursor is a 400 naming cursor", async () => {
    const a = await newKey(["catalog:read"], "older");
    const b = await newKey(["catalog:read"], "newer");
    const first = await t.rest.get("/api/v1/admin/api-keys?limit=1", { headers: asAdmin });
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual([b.key.id]);
    const second = await t.rest.get(`/api/v1/admin/api-keys?limit=1&cursor=${first.body.nextCursor}`, {
      headers: asAdmin,
    });
    expect(second.body.items.map((k: { id: string }) => k.id)).toEqual([a.key.id]);

    const bad = await t.rest.get("/api/v1/admin/api-keys?cursor=%25%25garbage", { headers: asAdmin });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "cursor" }] });
  });
});

describe("POST /api/v1/admin/api-keys", () => {
  test("an unknown scope and an unknown field are 400s naming them", async () => {
    const res = await createKey({ name: "Bad", scopes: ["root"], owner: "me" });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["owner", "scopes.0"]);
  });

  test("staff get 403, guests 401", async () => {
    expect((await createKey({ name: "Staff", scopes: ["catalog:read"] }, asStaff)).status).toBe(403);
    expect((await createKey({ name: "Guest", scopes: ["catalog:read"] }, {})).status).toBe(401);
  });

  test("an API key cannot create keys, whatever its scopes: 403", async () => {
    const parent = await t.asKey(["catalog:read", "catalog:write", "customers:read", "webhooks:write"]);
    const res = await createKey({ name: "Child", scopes: ["catalog:read"] }, parent.headers);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("FORBIDDEN");
    const list = await parent.rest.get("/api/v1/admin/api-keys");
    expect(list.status).toBe(403);
  });
});

describe("DELETE /api/v1/admin/api-keys/{id}", () => {
  test("revoking twice is 204 both times; an unknown id is 404", async () => {
    const { key } = await newKey(["catalog:read"]);
    const path = `/api/v1/admin/api-keys/${key.id}`;
    expect((await t.rest.delete(path, { headers: asAdmin })).status).toBe(204);
    expect((await t.rest.delete(path, { headers: asAdmin })).status).toBe(204);
    const missing = await t.rest.delete("/api/v1/admin/api-keys/01a20160-0000-7000-8000-000000000000", {
      headers: asAdmin,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("NOT_FOUND");
  });

  test("staff cannot revoke: 403", async () => {
    const { key } = await newKey(["catalog:read"]);
    expect((await t.rest.delete(`/api/v1/admin/api-keys/${key.id}`, { headers: asStaff })).status).toBe(403);
  });
});
