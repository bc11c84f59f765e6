import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const writer = await t.asKey(["catalog:write"]);
const integrator = await t.asKey(["catalog:read", "catalog:write"]);

const shirt = (overrides: Record<string, unknown> = {}) => ({
  title: "Linen Shirt",
  description: "Breezy.",
  tags: ["summer", "linen"],
  metadata: { erpId: "A-1" },
  attributes: { material: "linen" },
  options: [
    { name: "Size", values: ["S", "M", "L"] },
    { name: "Color", values: ["White", "Blue"] },
  ],
  variants: [
    { sku: "LS-S-W", price: 4900, options: { Size: "S", Color: "White" }, onHand: 5, lowStockThreshold: 2 },
    { sku: "LS-M-W", price: 5900, compareAtPrice: 6900, options: { Size: "M", Color: "White" } },
    { sku: "LS-L-B", price: 5400, options: { Color: "Blue", Size: "L" }, onHand: 1 },
  ],
  images: [{ url: "https://cdn.example.com/ls-1.jpg", alt: "Front" }, { url: "http://cdn.example.com/ls-2.jpg" }],
  ...overrides,
});

const count = async (table: string) => {
  const [row] = await t.sql.unsafe(`select count(*)::int as n from ${table}`);
  return row?.n as number;
};
const counts = async () => ({
  products: await count("products"),
  variants: await count("variants"),
  options: await count("product_options"),
  levels: await count("inventory_levels"),
  ledger: await count("inventory_ledger"),
  images: await count("product_images"),
});

describe("POST /api/v1/admin/products", () => {
  test("creates options, variants, stock and images in one call, and reads it back", async () => {
    const res = await staff.rest.post("/api/v1/admin/products", shirt({ slug: "linen-shirt-a" }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: "linen-shirt-a",
      status: "draft",
      tags: ["summer", "linen"],
      metadata: { erpId: "A-1" },
      attributes: { material: "linen" },
      price: { min: 4900, max: 5900, compareAt: null, currency: "USD" },
      options: [
        { name: "Size", values: ["S", "M", "L"], position: 0 },
        { name: "Color", values: ["White", "Blue"], position: 1 },
      ],
      images: [
        { url: "https://cdn.example.com/ls-1.jpg", alt: "Front", position: 0 },
        { url: "http://cdn.example.com/ls-2.jpg", alt: "", position: 1 },
      ],
    });
    expect(
      res.body.variants.map((v: { sku: string; title: string; stock: unknown }) => [v.sku, v.title, v.stock]),
    ).toEqual([
      ["LS-S-W", "S / White", { onHand: 5, reserved: 0, available: 5, lowStockThreshold: 2 }],
      ["LS-M-W", "M / White", { onHand: 0, reserved: 0, available: 0, lowStockThreshold: 0 }],
      ["LS-L-B", "L / Blue", { onHand: 1, reserved: 0, available: 1, lowStockThreshold: 0 }],
    ]);
    const got = await staff.rest.get(`/api/v1/admin/products/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);

    const [listing] = await t.sql`select min_price, max_price, in_stock, variant_count, option_values, image_url
      from products where id = ${res.body.id}`;
    expect(listing).toMatchObject({
      min_price: 4900,
      max_price: 5900,
      in_stock: true,
      variant_count: 3,
      image_url: "https://cdn.example.com/ls-1.jpg",
    });
    expect(listing?.option_values).toEqual(["color=blue", "color=white", "size=l", "size=m", "size=s"]);
    const ledger = await t.sql`select on_hand_delta, kind from inventory_ledger l join variants v on v.id = l.variant_id
      where v.product_id = ${res.body.id} order by on_hand_delta`;
    expect(ledger.map((r) => [r.kind, r.on_hand_delta])).toEqual([
      ["initial", 0],
      ["initial", 1],
      ["initial", 5],
    ]);
    const [queued] = await t.sql`select count(*)::int as n from product_changes where product_id = ${res.body.id}`;
    expect(queued?.n).toBe(1);
  });

  test("a product without options has one variant titled like it; the slug comes from the title", async () => {
    const res = await writer.rest.post("/api/v1/admin/products", {
      title: "Plain Mug",
      status: "active",
      variants: [{ sku: "MUG-1", price: 1200 }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: "plain-mug", status: "active", options: [], images: [], category: null });
    expect(res.body.variants[0]).toMatchObject({ title: "Plain Mug", options: {}, metadata: {} });
  });

  test("names each invalid field by its path", async () => {
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        title: "",
        variants: [{ sku: "X", price: -1 }],
        images: [{ url: "ftp://example.com/a.jpg" }, { url: "javascript:alert(1)" }],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "images.0.url",
      "images.1.url",
      "title",
      "variants.0.price",
    ]);
  });

  test("a variant must give one value for each option, among its values", async () => {
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        variants: [
          { sku: "A", price: 1, options: { Size: "S" } },
          { sku: "B", price: 1, options: { Size: "XL", Color: "White" } },
          { sku: "C", price: 1, options: { Size: "S", Color: "White", Fit: "Slim" } },
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "variants.0.options.Color",
      "variants.1.options.Size",
      "variants.2.options.Fit",
    ]);
  });

  test("repeated SKUs or combinations in the body are 400 naming the later variant", async () => {
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        variants: [
          { sku: "D-1", price: 1, options: { Size: "S", Color: "White" } },
          { sku: "D-1", price: 1, options: { Size: "M", Color: "White" } },
          { sku: "D-3", price: 1, options: { Color: "White", Size: "S" } },
        ],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["variants.1.sku", "variants.2.options"]);
  });

  test("a SKU another product has is 409 naming the variant's sku, and writes nothing", async () => {
    await makeProduct(t, { title: "Existing", variants: [{ sku: "TAKEN-1", price: 100 }] });
    const before = await counts();
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        variants: [
          { sku: "FREE-1", price: 1, options: { Size: "S", Color: "White" } },
          { sku: "FREE-2", price: 1, options: { Size: "M", Color: "White" } },
          { sku: "TAKEN-1", price: 1, options: { Size: "L", Color: "White" } },
        ],
      }),
    );
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: "CONFLICT",
      errors: [{ path: "variants.2.sku", message: "Already taken" }],
    });
    expect(await counts()).toEqual(before);
  });

  test("a taken slug is 409 naming slug, and writes nothing", async () => {
    await staff.rest.post(
      "/api/v1/admin/products",
      shirt({ slug: "dup-slug", variants: [{ sku: "DS-1", price: 1, options: { Size: "S", Color: "Blue" } }] }),
    );
    const before = await counts();
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({ slug: "dup-slug", variants: [{ sku: "DS-2", price: 1, options: { Size: "S", Color: "Blue" } }] }),
    );
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ path: "slug", message: "Already taken" }]);
    expect(await counts()).toEqual(before);
  });

  test("unknown fields are 400, at any depth: no mass assignment", async () => {
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        minPrice: 1,
        variants: [{ sku: "MA-1", price: 1, options: { Size: "S", Color: "White" }, reserved: 5 }],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["minPrice", "variants.0.reserved"]);
  });

  test("a missing category or collection is 400 naming it", async () => {
    const res = await staff.rest.post(
      "/api/v1/admin/products",
      shirt({
        categoryId: "01a20160-0000-7000-8000-0000000000aa",
        collectionIds: ["01a20160-0000-7000-8000-0000000000ab"],
        variants: [{ sku: "MC-1", price: 1, options: { Size: "S", Color: "White" } }],
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["categoryId", "collectionIds.0"]);
  });

  test("the same Idempotency-Key replays the product instead of making another", async () => {
    const body = shirt({
      slug: "idem-shirt",
      variants: [{ sku: "ID-1", price: 1, options: { Size: "S", Color: "White" } }],
    });
    const headers = { "idempotency-key": "create-idem-shirt" };
    const first = await staff.rest.post("/api/v1/admin/products", body, { headers });
    const again = await staff.rest.post("/api/v1/admin/products", body, { headers });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const [row] = await t.sql`select count(*)::int as n from products where slug = 'idem-shirt'`;
    expect(row?.n).toBe(1);
  });
});

describe("admin.products over tRPC", () => {
  test("creates and gets a product with the same shape as REST", async () => {
    const created = await staff.trpc.admin.products.create.mutate(
      shirt({
        slug: "trpc-shirt",
        variants: [{ sku: "TR-1", price: 2500, options: { Size: "M", Color: "Blue" } }],
      }) as never,
    );
    const got = await staff.trpc.admin.products.get.query({ id: created.id });
    expect(got).toEqual(created);
    expect(got.variants[0]?.title).toBe("M / Blue");
  });

  test("validation errors name field paths in data.errors", async () => {
    const err = await trpcError(
      staff.trpc.admin.products.create.mutate({
        title: "Bad",
        options: [{ name: "Size", values: ["S"] }],
        variants: [{ sku: "BAD-1", price: 1, options: { Size: "M" } }],
      }),
    );
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(["variants.0.options.Size"]);
  });
});

describe("GET /api/v1/admin/products", () => {
  test("lists every status newest first, filters by status, finds by exact SKU or part of the title", async () => {
    const base = Date.now() - 1_000_000;
    const a = await makeProduct(t, {
      title: "Zephyr Lamp",
      status: "draft",
      createdAt: new Date(base),
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [
        { sku: "ZL-100", price: 300, onHand: 3, options: { Size: "S" } },
        { sku: "ZL-200", price: 500, onHand: 4, options: { Size: "M" } },
      ],
    });
    const b = await makeProduct(t, { title: "zephyr chair", status: "archived", createdAt: new Date(base + 1000) });
    const c = await makeProduct(t, {
      title: "Desk",
      status: "active",
      createdAt: new Date(base + 2000),
      variants: [{ sku: "ZEPHYR-SKU", price: 100 }],
    });

    const byTitle = await integrator.rest.get("/api/v1/admin/products?q=ZEPHYR");
    expect(byTitle.status).toBe(200);
    expect(byTitle.body.items.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    expect(byTitle.body.items[1]).toMatchObject({
      status: "draft",
      variantCount: 2,
      price: { min: 300, max: 500, currency: "USD" },
      stock: { onHand: 7, reserved: 0, available: 7 },
    });
    const bySku = await integrator.rest.get("/api/v1/admin/products?q=ZEPHYR-SKU");
    expect(bySku.body.items.map((p: { id: string }) => p.id)).toEqual([c.id]);
    const drafts = await integrator.rest.get("/api/v1/admin/products?status=draft&q=zephyr");
    expect(drafts.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    // A LIKE wildcard matches itself only.
    const wildcard = await integrator.rest.get("/api/v1/admin/products?q=%25");
    expect(wildcard.body.items).toEqual([]);
  });

  test("pages with a cursor; a forged cursor is a 400", async () => {
    const first = await staff.rest.get("/api/v1/admin/products?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await staff.rest.get(`/api/v1/admin/products?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    const forged = await staff.rest.get("/api/v1/admin/products?cursor=bm90LWEtY3Vyc29y");
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].path).toBe("cursor");
  });

  test("an unknown product is a 404", async () => {
    const res = await staff.rest.get("/api/v1/admin/products/01a20160-0000-7000-8000-0000000000ff");
    expect(res.status).toBe(404);
  });
});

describe("access to admin products", () => {
  const body = () => ({ title: "Access", variants: [{ sku: `AC-${Math.random()}`, price: 1 }] });

  test("a guest is 401, a customer 403, a key without catalog:write 403, a key with it 201", async () => {
    const customer = t.as(await t.user("customer"));
    const reader = await t.asKey(["catalog:read"]);
    expect((await t.rest.post("/api/v1/admin/products", body())).status).toBe(401);
    expect((await customer.rest.post("/api/v1/admin/products", body())).status).toBe(403);
    const refused = await reader.rest.post("/api/v1/admin/products", body());
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("FORBIDDEN");
    expect((await writer.rest.post("/api/v1/admin/products", body())).status).toBe(201);
    // Reading the admin list needs catalog:read, which a reader key has.
    expect((await reader.rest.get("/api/v1/admin/products")).status).toBe(200);
    expect((await customer.rest.get("/api/v1/admin/products")).status).toBe(403);
  });

  test("over tRPC, a guest is UNAUTHENTICATED and a customer FORBIDDEN", async () => {
    const customer = t.as(await t.user("customer"));
    expect((await trpcError(t.trpc.admin.products.list.query({}))).data.code).toBe("UNAUTHENTICATED");
    expect((await trpcError(customer.trpc.admin.products.create.mutate(body()))).data.code).toBe("FORBIDDEN");
  });
});
