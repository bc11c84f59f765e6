import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { useTestApp } from "../../../../tests/harness";
import { productTag } from "../cache-tags";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
let n = 0;

/** A product with Size S/M/L and two variants, through the admin API. */
async function tee(extra: Record<string, unknown> = {}) {
  const k = ++n;
  const res = await staff.rest.post("/api/v1/admin/products", {
    title: `Tee ${k}`,
    status: "active",
    options: [{ name: "Size", values: ["S", "M", "L"] }],
    variants: [
      { sku: `TEE-${k}-S`, price: 2000, options: { Size: "S" }, onHand: 3 },
      { sku: `TEE-${k}-M`, price: 2500, options: { Size: "M" }, onHand: 0 },
    ],
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

const ledgerMove = (variantId: string) =>
  t.sql`insert into inventory_ledger (id, variant_id, kind, on_hand_delta, on_hand_after, reserved_after, actor)
        values (gen_random_uuid(), ${variantId}, 'adjust', 1, 4, 0, 'test')`;

describe("PATCH /api/v1/admin/variants/{id}", () => {
  test("a price change rewrites the listing, queues the search index and drops cached pages after commit", async () => {
    const p = await tee();
    const cached = () =>
      staff.ctx.cache.wrap(`test:product:${p.id}`, { tags: [productTag(p.id)] }, async () => Math.random());
    const lists = () => staff.ctx.cache.wrap("test:lists", { tags: ["product-lists"] }, async () => Math.random());
    const [before, listBefore] = [await cached(), await lists()];
    expect(await cached()).toBe(before);
    await t.sql`delete from product_changes`;

    const res = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[0].id}`, {
      price: 1500,
      compareAtPrice: 1800,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ price: 1500, compareAtPrice: 1800, sku: p.variants[0].sku, title: "S" });

    const [row] = await t.sql`select min_price, max_price, compare_at_price from products where id = ${p.id}`;
    expect(row).toEqual({ min_price: 1500, max_price: 2500, compare_at_price: 1800 });
    const queued = await t.sql`select product_id from product_changes`;
    expect(queued.map((r) => r.product_id)).toEqual([p.id]);
    expect(await cached()).not.toBe(before);
    expect(await lists()).not.toBe(listBefore);
  });

  test("changes options, keeping them among the product's values; retitles the variant", async () => {
    const p = await tee();
    const res = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[1].id}`, {
      options: { Size: "L" },
      metadata: { bin: "7" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ options: { Size: "L" }, title: "L", metadata: { bin: "7" } });
    const bad = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[1].id}`, { options: { Size: "XL" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["options.Size"]);
  });

  test("another variant's combination or SKU is 409 naming the field", async () => {
    const p = await tee();
    const other = await tee();
    const combo = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[1].id}`, { options: { Size: "S" } });
    expect(combo.status).toBe(409);
    expect(combo.body.errors).toEqual([{ path: "options", message: "Already taken" }]);
    const sku = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[1].id}`, { sku: other.variants[0].sku });
    expect(sku.status).toBe(409);
    expect(sku.body.errors).toEqual([{ path: "sku", message: "Already taken" }]);
  });

  test("stock is not editable here, and an empty change is a 400", async () => {
    const p = await tee();
    const stock = await staff.rest.patch(`/api/v1/admin/variants/${p.variants[0].id}`, { onHand: 100 });
    expect(stock.status).toBe(400);
    expect(stock.body.errors[0]).toEqual({ path: "onHand", message: "Unknown field: onHand" });
    expect((await staff.rest.patch(`/api/v1/admin/variants/${p.variants[0].id}`, {})).status).toBe(400);
    expect(
      (await staff.rest.patch("/api/v1/admin/variants/01a20160-0000-7000-8000-0000000000ff", { price: 1 })).status,
    ).toBe(404);
  });
});

describe("POST /api/v1/admin/products/{id}/variants", () => {
  test("adds a variant last with its opening stock", async () => {
    const p = await tee();
    const res = await staff.rest.post(`/api/v1/admin/products/${p.id}/variants`, {
      sku: `NEW-${p.id}`,
      price: 999,
      options: { Size: "L" },
      onHand: 4,
      lowStockThreshold: 1,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      position: 2,
      title: "L",
      stock: { onHand: 4, available: 4, lowStockThreshold: 1 },
    });
    const [row] = await t.sql`select min_price, variant_count from products where id = ${p.id}`;
    expect(row).toEqual({ min_price: 999, variant_count: 3 });
  });

  test("a taken SKU is 409 naming sku; a missing option value 400; a missing product 404", async () => {
    const p = await tee();
    const sku = await staff.rest.post(`/api/v1/admin/products/${p.id}/variants`, {
      sku: p.variants[0].sku,
      price: 1,
      options: { Size: "L" },
    });
    expect(sku.status).toBe(409);
    expect(sku.body.errors).toEqual([{ path: "sku", message: "Already taken" }]);
    const missing = await staff.rest.post(`/api/v1/admin/products/${p.id}/variants`, { sku: "MISS-1", price: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(["options.Size"]);
    const gone = await staff.rest.post("/api/v1/admin/products/01a20160-0000-7000-8000-0000000000ff/variants", {
      sku: "G-1",
      price: 1,
    });
    expect(gone.status).toBe(404);
  });

  test("over tRPC as admin.products.addVariant", async () => {
    const p = await tee();
    const v = await staff.trpc.admin.products.addVariant.mutate({
      id: p.id,
      sku: `TR-${p.id}`,
      price: 10,
      options: { Size: "L" },
    });
    expect(v.productId).toBe(p.id);
  });
});

describe("DELETE /api/v1/admin/variants/{id}", () => {
  test("deletes a variant and relists the product", async () => {
    const p = await tee();
    expect((await staff.rest.delete(`/api/v1/admin/variants/${p.variants[0].id}`)).status).toBe(204);
    const [row] = await t.sql`select min_price, variant_count, in_stock from products where id = ${p.id}`;
    expect(row).toEqual({ min_price: 2500, variant_count: 1, in_stock: false });
  });

  test("refuses the last variant and a variant with stock movements with 409", async () => {
    const p = await tee();
    await ledgerMove(p.variants[0].id);
    const moved = await staff.rest.delete(`/api/v1/admin/variants/${p.variants[0].id}`);
    expect(moved.status).toBe(409);
    expect(moved.body.detail).toContain("archive");
    expect((await staff.rest.delete(`/api/v1/admin/variants/${p.variants[1].id}`)).status).toBe(204);
    const last = await staff.rest.delete(`/api/v1/admin/variants/${p.variants[0].id}`);
    expect(last.status).toBe(409);
    expect(last.body.detail).toContain("at least one variant");
  });
  test("two concurrent deletes of a product's two variants leave one: one 204, one 409", async () => {
    const p = await tee();
    const answers = await Promise.all(
      p.variants.map((v: { id: string }) => staff.rest.delete(`/api/v1/admin/variants/${v.id}`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
    const [row] = await t.sql`select count(*)::int as n from variants where product_id = ${p.id}`;
    expect(row?.n).toBe(1);
  });
});

describe("PATCH and DELETE /api/v1/admin/products/{id}", () => {
  test("patches fields; metadata is replaced whole; archiving is a status", async () => {
    const p = await tee({ metadata: { a: "1", b: "2" } });
    const res = await staff.rest.patch(`/api/v1/admin/products/${p.id}`, {
      title: "Renamed",
      metadata: { c: "3" },
      status: "archived",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: "Renamed", metadata: { c: "3" }, status: "archived" });
    const mass = await staff.rest.patch(`/api/v1/admin/products/${p.id}`, { minPrice: 0 });
    expect(mass.status).toBe(400);
    expect(mass.body.errors[0].path).toBe("minPrice");
  });

  test("a variant without options takes the product's new title", async () => {
    const res = await staff.trpc.admin.products.create.mutate({
      title: "Solo",
      variants: [{ sku: `SOLO-${++n}`, price: 1 }],
    });
    const renamed = await staff.trpc.admin.products.update.mutate({ id: res.id, title: "Solo Two" });
    expect(renamed.variants[0]?.title).toBe("Solo Two");
  });

  test("deletes an untouched product with everything it owns; the search outbox still hears of it", async () => {
    const p = await tee();
    expect((await staff.rest.delete(`/api/v1/admin/products/${p.id}`)).status).toBe(204);
    const [left] = await t.sql`select (select count(*)::int from variants where product_id = ${p.id}) as variants,
      (select count(*)::int from products where id = ${p.id}) as products,
      (select count(*)::int from product_changes where product_id = ${p.id}) as queued`;
    expect(left).toEqual({ variants: 0, products: 0, queued: 1 });
    expect((await staff.rest.get(`/api/v1/admin/products/${p.id}`)).status).toBe(404);
  });

  test("refuses with 409 once stock moved or is reserved, and keeps the product", async () => {
    const moved = await tee();
    await ledgerMove(moved.variants[0].id);
    const res = await staff.rest.delete(`/api/v1/admin/products/${moved.id}`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "CONFLICT" });
    expect(res.body.detail).toContain("archive it instead");

    const reserved = await tee();
    await t.sql`update inventory_levels set reserved = 1 where variant_id = ${reserved.variants[0].id}`;
    const err = await trpcError(staff.trpc.admin.products.delete.mutate({ id: reserved.id }));
    expect(err.data.code).toBe("CONFLICT");
    const [row] = await t.sql`select count(*)::int as n from products where id in ${t.sql([moved.id, reserved.id])}`;
    expect(row?.n).toBe(2);
  });
});

describe("options", () => {
  test("adding an option needs a default value that existing variants take", async () => {
    const p = await tee();
    const none = await staff.rest.post(`/api/v1/admin/products/${p.id}/options`, {
      name: "Color",
      values: ["Red", "Blue"],
    });
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe("defaultValue");
    const res = await staff.rest.post(`/api/v1/admin/products/${p.id}/options`, {
      name: "Color",
      values: ["Red", "Blue"],
      defaultValue: "Blue",
    });
    expect(res.status).toBe(201);
    expect(res.body.options.map((o: { name: string }) => o.name)).toEqual(["Size", "Color"]);
    expect(res.body.variants.map((v: { options: unknown; title: string }) => [v.options, v.title])).toEqual([
      [{ Size: "S", Color: "Blue" }, "S / Blue"],
      [{ Size: "M", Color: "Blue" }, "M / Blue"],
    ]);
    const dup = await staff.rest.post(`/api/v1/admin/products/${p.id}/options`, {
      name: "color",
      values: ["X"],
      defaultValue: "X",
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe("name");
  });

  test("renaming an option renames it in every variant; dropping a used value is 409", async () => {
    const p = await tee();
    const sizeId = p.options[0].id;
    const renamed = await staff.rest.patch(`/api/v1/admin/options/${sizeId}`, {
      name: "Größe",
      values: ["S", "M", "XL"],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.variants.map((v: { options: unknown }) => v.options)).toEqual([{ Größe: "S" }, { Größe: "M" }]);
    const [row] = await t.sql`select option_values from products where id = ${p.id}`;
    expect(row?.option_values).toEqual(["größe=m", "größe=s"]);
    const used = await staff.rest.patch(`/api/v1/admin/options/${sizeId}`, { values: ["S", "XL"] });
    expect(used.status).toBe(409);
    expect(used.body.errors).toEqual([{ path: "values", message: "Still used by variants: M" }]);
  });

  test("renaming a value renames it in the option and in every variant using it", async () => {
    const p = await tee();
    const res = await staff.rest.patch(`/api/v1/admin/options/${p.options[0].id}`, { renameValues: { M: "Medium" } });
    expect(res.status).toBe(200);
    expect(res.body.options[0].values).toEqual(["S", "Medium", "L"]);
    expect(res.body.variants.map((v: { options: unknown; title: string }) => [v.options, v.title])).toEqual([
      [{ Size: "S" }, "S"],
      [{ Size: "Medium" }, "Medium"],
    ]);
    const unknown = await staff.rest.patch(`/api/v1/admin/options/${p.options[0].id}`, { renameValues: { XL: "X" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe("renameValues.XL");
    const clash = await staff.rest.patch(`/api/v1/admin/options/${p.options[0].id}`, { renameValues: { L: "S" } });
    expect(clash.status).toBe(400);
    expect(clash.body.errors[0].path).toBe("renameValues");
  });

  test("removing an option is refused when variants would collide, allowed otherwise", async () => {
    const p = await tee();
    const clash = await staff.rest.delete(`/api/v1/admin/options/${p.options[0].id}`);
    expect(clash.status).toBe(409);
    await staff.rest.delete(`/api/v1/admin/variants/${p.variants[1].id}`);
    expect((await staff.rest.delete(`/api/v1/admin/options/${p.options[0].id}`)).status).toBe(204);
    const got = await staff.rest.get(`/api/v1/admin/products/${p.id}`);
    expect(got.body.options).toEqual([]);
    expect(got.body.variants.map((v: { options: unknown; title: string }) => [v.options, v.title])).toEqual([
      [{}, p.title],
    ]);
  });
});

describe("images", () => {
  test("adds, reorders (the first is the card's) and removes images", async () => {
    const p = await tee({ images: [{ url: "https://img.example.com/1.jpg" }] });
    const added = await staff.rest.post(`/api/v1/admin/products/${p.id}/images`, {
      url: "https://img.example.com/2.jpg",
      alt: "Back",
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ position: 1, alt: "Back" });
    const bad = await staff.rest.post(`/api/v1/admin/products/${p.id}/images`, { url: "not a url" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("url");

    const order = [added.body.id, p.images[0].id];
    const res = await staff.rest.put(`/api/v1/admin/products/${p.id}/images/order`, { imageIds: order });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string; position: number }) => [i.id, i.position])).toEqual([
      [order[0], 0],
      [order[1], 1],
    ]);
    const [card] = await t.sql`select image_url from products where id = ${p.id}`;
    expect(card?.image_url).toBe("https://img.example.com/2.jpg");
    const partial = await staff.rest.put(`/api/v1/admin/products/${p.id}/images/order`, { imageIds: [order[0]] });
    expect(partial.status).toBe(400);
    expect(partial.body.errors[0].path).toBe("imageIds");

    expect((await staff.rest.delete(`/api/v1/admin/images/${added.body.id}`)).status).toBe(204);
    const [after] = await t.sql`select image_url from products where id = ${p.id}`;
    expect(after?.image_url).toBe("https://img.example.com/1.jpg");
  });
});
