import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const asAdmin = (await t.user("admin")).headers;
const adminCreate = (body: unknown, headers: Record<string, string> = {}) =>
  t.rest.post("/api/v1/admin/categories", body, { headers: { ...asAdmin, ...headers } });

describe("GET /api/v1/categories", () => {
  test("returns the tree of categories admins created", async () => {
    const root = await adminCreate({ name: "Kitchen", slug: "kitchen" });
    expect(root.status).toBe(201);
    const child = await adminCreate({ name: "Knives", parentId: root.body.id });
    expect(child.status).toBe(201);

    const res = await t.rest.get("/api/v1/categories");
    expect(res.status).toBe(200);
    const kitchen = res.body.items.find((c: { id: string }) => c.id === root.body.id);
    expect(kitchen.children.map((c: { slug: string }) => c.slug)).toEqual(["knives"]);
  });
});

describe("GET /api/v1/categories/{idOrSlug}", () => {
  test("finds by slug and by id", async () => {
    const created = await adminCreate({ name: "Chairs" });
    const bySlug = await t.rest.get("/api/v1/categories/chairs");
    const byId = await t.rest.get(`/api/v1/categories/${created.body.id}`);
    expect(bySlug.status).toBe(200);
    expect(byId.body).toEqual(bySlug.body);
    expect(bySlug.body).toMatchObject({ name: "Chairs", ancestors: [], children: [] });
  });

  test("an unknown slug is a 404 problem", async () => {
    const res = await t.rest.get("/api/v1/categories/nothing-here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 404, code: "NOT_FOUND", detail: "Category not found" });
    expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
  });
});

describe("POST /api/v1/admin/categories", () => {
  test("names each invalid field", async () => {
    const res = await adminCreate({ name: 42, position: -1 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["name", "position"]);
  });

  test("rejects unknown fields instead of ignoring them", async () => {
    const res = await adminCreate({ name: "Sly", createdAt: "2020-01-01" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "createdAt", message: "Unknown field: createdAt" }]);
  });

  test("a duplicate slug is a 409 naming slug", async () => {
    await adminCreate({ name: "Rugs", slug: "rugs" });
    const res = await adminCreate({ name: "Rugs again", slug: "rugs" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT", errors: [{ path: "slug" }] });
  });

  test("a missing parent is a 400 naming parentId", async () => {
    const res = await adminCreate({ name: "Lost", parentId: "01a20160-0000-7000-8000-0000000000aa" });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("parentId");
  });

  test("without credentials: 401 before the body is even read", async () => {
    const res = await t.rest.post("/api/v1/admin/categories", {});
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHENTICATED");
  });

  describe("Idempotency-Key", () => {
    test("the same key and body replay the first response without a second category", async () => {
      const headers = { "idempotency-key": "create-sofas-1" };
      const first = await adminCreate({ name: "Sofas" }, headers);
      const again = await adminCreate({ name: "Sofas" }, headers);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      const [row] = await t.sql`select count(*)::int as n from categories where slug = 'sofas'`;
      expect(row?.n).toBe(1);
    });

    test("the same key with another body is 422 IDEMPOTENCY_KEY_REUSED", async () => {
      const headers = { "idempotency-key": "create-desks-1" };
      await adminCreate({ name: "Desks" }, headers);
      const res = await adminCreate({ name: "Tables" }, headers);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    });

    test("a failed request frees its key for a corrected retry", async () => {
      const headers = { "idempotency-key": "create-beds-1" };
      const bad = await adminCreate({ name: "" }, headers);
      expect(bad.status).toBe(400);
      const good = await adminCreate({ name: "Beds" }, headers);
      expect(good.status).toBe(201);
    });
  });
});
