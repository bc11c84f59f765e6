import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const writer = await t.asKey(["catalog:write"]);
const create = (name: string, parentId: string | null = null) =>
  staff.trpc.admin.categories.create.mutate({ name, parentId });
const pathOf = async (productId: string) => {
  const [row] = await t.sql`select category_path from products where id = ${productId}`;
  return row?.category_path as string[];
};

describe("PATCH /api/v1/admin/categories/{id}", () => {
  test("moving a category rewrites the category path of every product in its subtree", async () => {
    const home = await create("Home");
    const garden = await create("Garden");
    const kitchen = await create("Kitchen", home.id);
    const knives = await create("Knives", kitchen.id);
    const inKitchen = await makeProduct(t, { title: "Pan", categoryId: kitchen.id });
    const inKnives = await makeProduct(t, { title: "Chef knife", categoryId: knives.id });
    const elsewhere = await makeProduct(t, { title: "Sofa", categoryId: home.id });
    expect(await pathOf(inKnives.id)).toEqual([home.id, kitchen.id, knives.id]);

    const res = await writer.rest.patch(`/api/v1/admin/categories/${kitchen.id}`, {
      parentId: garden.id,
      name: "Outdoor kitchen",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ parentId: garden.id, name: "Outdoor kitchen" });
    expect(await pathOf(inKitchen.id)).toEqual([garden.id, kitchen.id]);
    expect(await pathOf(inKnives.id)).toEqual([garden.id, kitchen.id, knives.id]);
    expect(await pathOf(elsewhere.id)).toEqual([home.id]);
    const queued =
      await t.sql`select product_id from product_changes where product_id in ${t.sql([inKitchen.id, inKnives.id])}`;
    expect(queued).toHaveLength(2);

    const tree = await t.trpc.catalog.categories.get.query({ idOrSlug: knives.slug });
    expect(tree.ancestors.map((a) => a.id)).toEqual([garden.id, kitchen.id]);
    const toRoot = await staff.trpc.admin.categories.update.mutate({ id: kitchen.id, parentId: null });
    expect(toRoot.parentId).toBeNull();
    expect(await pathOf(inKnives.id)).toEqual([kitchen.id, knives.id]);
  });

  test("moving under itself or a descendant is 409 naming parentId, and changes nothing", async () => {
    const a = await create("Cycle A");
    const b = await create("Cycle B", a.id);
    const c = await create("Cycle C", b.id);
    for (const parentId of [a.id, c.id]) {
      const res = await staff.rest.patch(`/api/v1/admin/categories/${a.id}`, { parentId, name: "Changed" });
      expect(res.status).toBe(409);
      expect(res.body.errors).toEqual([{ path: "parentId", message: "This category is inside the one being moved" }]);
    }
    const got = await t.trpc.catalog.categories.get.query({ idOrSlug: a.id });
    expect(got).toMatchObject({ parentId: null, name: "Cycle A" });
  });

  test("a missing parent is 400 naming parentId; a taken slug 409; a missing category 404", async () => {
    const a = await create("Patch A");
    const b = await create("Patch B");
    const lost = await staff.rest.patch(`/api/v1/admin/categories/${a.id}`, {
      parentId: "01a20160-0000-7000-8000-0000000000aa",
    });
    expect(lost.status).toBe(400);
    expect(lost.body.errors[0].path).toBe("parentId");
    const slug = await staff.rest.patch(`/api/v1/admin/categories/${a.id}`, { slug: b.slug });
    expect(slug.status).toBe(409);
    expect(slug.body.errors).toEqual([{ path: "slug", message: "Already taken" }]);
    const gone = await staff.rest.patch("/api/v1/admin/categories/01a20160-0000-7000-8000-0000000000ab", { name: "x" });
    expect(gone.status).toBe(404);
    const sly = await staff.rest.patch(`/api/v1/admin/categories/${a.id}`, { createdAt: "2020-01-01" });
    expect(sly.status).toBe(400);
  });

  test("a renamed category shows in the cached tree at once", async () => {
    const a = await create("Before rename");
    await t.trpc.catalog.categories.list.query();
    await staff.trpc.admin.categories.update.mutate({ id: a.id, name: "After rename" });
    const tree = await t.trpc.catalog.categories.list.query();
    expect(tree.items.find((c) => c.id === a.id)?.name).toBe("After rename");
  });
});

describe("DELETE /api/v1/admin/categories/{id}", () => {
  test("deletes an empty category; refuses one with children or products with 409", async () => {
    const parent = await create("Parent");
    const child = await create("Child", parent.id);
    const withChildren = await staff.rest.delete(`/api/v1/admin/categories/${parent.id}`);
    expect(withChildren.status).toBe(409);
    expect(withChildren.body.detail).toContain("subcategories");
    const product = await makeProduct(t, { title: "Stuck", categoryId: child.id });
    const withProducts = await staff.rest.delete(`/api/v1/admin/categories/${child.id}`);
    expect(withProducts.status).toBe(409);
    expect(withProducts.body.detail).toContain("products");

    await staff.trpc.admin.products.update.mutate({ id: product.id, categoryId: null });
    expect((await staff.rest.delete(`/api/v1/admin/categories/${child.id}`)).status).toBe(204);
    expect((await staff.rest.delete(`/api/v1/admin/categories/${parent.id}`)).status).toBe(204);
    expect((await staff.rest.delete(`/api/v1/admin/categories/${parent.id}`)).status).toBe(404);
    const err = await trpcError(t.trpc.catalog.categories.get.query({ idOrSlug: parent.id }));
    expect(err.data.code).toBe("NOT_FOUND");
  });

  test("a customer is 403 and a guest 401", async () => {
    const a = await create("Guarded");
    const customer = t.as(await t.user("customer"));
    expect((await customer.rest.delete(`/api/v1/admin/categories/${a.id}`)).status).toBe(403);
    expect((await t.rest.delete(`/api/v1/admin/categories/${a.id}`)).status).toBe(401);
  });
});
