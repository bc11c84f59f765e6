import { describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { COLLECTIONS_TAG } from "../cache-tags";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const collectionIdsOf = async (productId: string) => {
  const [row] = await t.sql`select collection_ids from products where id = ${productId}`;
  return row?.collection_ids as string[];
};

describe("admin collections", () => {
  test("creates, lists newest first, edits and deletes a collection", async () => {
    const a = await staff.rest.post("/api/v1/admin/collections", { title: "Summer Sale" });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ slug: "summer-sale", description: "", position: 0 });
    const b = await staff.rest.post("/api/v1/admin/collections", { title: "New In", slug: "new-in", position: 2 });
    const list = await staff.rest.get("/api/v1/admin/collections?limit=1");
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([b.body.id]);
    const next = await staff.rest.get(`/api/v1/admin/collections?limit=1&cursor=${list.body.nextCursor}`);
    expect(next.body.items.map((c: { id: string }) => c.id)).toEqual([a.body.id]);

    const dup = await staff.rest.patch(`/api/v1/admin/collections/${a.body.id}`, { slug: "new-in" });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: "slug", message: "Already taken" }]);
    const edited = await staff.rest.patch(`/api/v1/admin/collections/${a.body.id}`, {
      title: "Summer",
      description: "Hot",
    });
    expect(edited.body).toMatchObject({ title: "Summer", description: "Hot", slug: "summer-sale" });
    expect((await staff.rest.delete(`/api/v1/admin/collections/${b.body.id}`)).status).toBe(204);
    expect((await staff.rest.delete(`/api/v1/admin/collections/${b.body.id}`)).status).toBe(404);
  });

  test("PUT products replaces the membership in order and relists those who left and joined", async () => {
    const c = (await staff.trpc.admin.collections.create.mutate({ title: "Picks" })).id;
    const [p1, p2, p3] = await Promise.all(["One", "Two", "Three"].map((title) => makeProduct(t, { title })));
    if (!p1 || !p2 || !p3) throw new Error("made");
    const first = await staff.rest.put(`/api/v1/admin/collections/${c}/products`, { productIds: [p2.id, p1.id] });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ collectionId: c, productIds: [p2.id, p1.id] });
    expect(await collectionIdsOf(p1.id)).toEqual([c]);

    const cached = () =>
      staff.ctx.cache.wrap("test:collections", { tags: [COLLECTIONS_TAG] }, async () => Math.random());
    const before = await cached();
    await staff.trpc.admin.collections.setProducts.mutate({ id: c, productIds: [p3.id, p2.id] });
    expect(await cached()).not.toBe(before);
    expect(await collectionIdsOf(p1.id)).toEqual([]);
    expect(await collectionIdsOf(p3.id)).toEqual([c]);
    const order = await t.sql`select product_id from collection_products where collection_id = ${c} order by position`;
    expect(order.map((r) => r.product_id)).toEqual([p3.id, p2.id]);

    const unknown = await staff.rest.put(`/api/v1/admin/collections/${c}/products`, {
      productIds: [p1.id, "01a20160-0000-7000-8000-0000000000aa"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: "productIds.1", message: "No product has this id" }]);
    const twice = await staff.rest.put(`/api/v1/admin/collections/${c}/products`, { productIds: [p1.id, p1.id] });
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].path).toBe("productIds");

    await staff.rest.delete(`/api/v1/admin/collections/${c}`);
    expect(await collectionIdsOf(p3.id)).toEqual([]);
  });

  test("a product created into collections joins them last", async () => {
    const c = (await staff.trpc.admin.collections.create.mutate({ title: "Joined" })).id;
    const existing = await makeProduct(t, { title: "Already in", collectionIds: [c] });
    const created = await staff.trpc.admin.products.create.mutate({
      title: "Joiner",
      collectionIds: [c],
      variants: [{ sku: "JOIN-1", price: 1 }],
    });
    expect(created.collections.map((x) => x.id)).toEqual([c]);
    const order = await t.sql`select product_id from collection_products where collection_id = ${c} order by position`;
    expect(order.map((r) => r.product_id)).toEqual([existing.id, created.id]);
  });

  test("a key with catalog:read lists but cannot write", async () => {
    const reader = await t.asKey(["catalog:read"]);
    expect((await reader.rest.get("/api/v1/admin/collections")).status).toBe(200);
    expect((await reader.rest.post("/api/v1/admin/collections", { title: "No" })).status).toBe(403);
  });
});
