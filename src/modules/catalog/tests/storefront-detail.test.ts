import { beforeAll, describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { type MadeProduct, makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";

const t = await useTestApp();

const cat = { root: newId(), mid: newId(), leaf: newId() };
const col = { first: newId(), second: newId(), third: newId() };
let shirt: MadeProduct;
const hidden: Record<"draft" | "archived", MadeProduct> = {} as never;

beforeAll(async () => {
  await t.sql`insert into categories (id, parent_id, name, slug) values (${cat.root}, null, 'Clothing', 'clothing')`;
  await t.sql`insert into categories (id, parent_id, name, slug) values (${cat.mid}, ${cat.root}, 'Shirts', 'shirts')`;
  await t.sql`insert into categories (id, parent_id, name, slug) values (${cat.leaf}, ${cat.mid}, 'Linen', 'linen')`;
  // Positions tie on purpose: the title then the id order them.
  await t.sql`insert into collections (id, slug, title, position) values
    (${col.first}, 'new-in', 'New in', 0), (${col.second}, 'b-sale', 'Sale', 1), (${col.third}, 'a-autumn', 'Autumn', 1)`;
  shirt = await makeProduct(t, {
    title: "Linen shirt",
    slug: "linen-shirt",
    description: "Washed linen",
    categoryId: cat.leaf,
    tags: ["organic", "summer"],
    options: [{ name: "Size", values: ["S", "M"] }],
    variants: [
      { sku: "LS-S", price: 4500, compareAtPrice: 6000, options: { Size: "S" }, onHand: 0, weightGrams: 300 },
      { sku: "LS-M", price: 5000, options: { Size: "M" }, onHand: 4 },
    ],
    images: [
      { url: "https://img.test/front.jpg", alt: "Front" },
      { url: "https://img.test/back.jpg", alt: "Back" },
    ],
    collectionIds: [col.second, col.first],
  });
  await t.sql`update products set attributes = ${JSON.stringify({ material: "linen" })}::jsonb, metadata = ${JSON.stringify({ erpId: "E-1" })}::jsonb where id = ${shirt.id}`;
  // Reserved stock is not available.
  await t.sql`update inventory_levels set reserved = 1 where variant_id = ${shirt.variants[1]?.id ?? ""}`;
  for (const status of ["draft", "archived"] as const) {
    hidden[status] = await makeProduct(t, { title: `Hidden ${status}`, slug: `hidden-${status}`, status });
  }
});

describe("GET /api/v1/products/{idOrSlug} and catalog.products.get", () => {
  test("the product page: options, variants with availability, ordered images, breadcrumb, collections", async () => {
    const res = await t.rest.get("/api/v1/products/linen-shirt");
    expect(res.status).toBe(200);
    const [small, medium] = shirt.variants;
    expect(res.body).toEqual({
      id: shirt.id,
      slug: "linen-shirt",
      title: "Linen shirt",
      description: "Washed linen",
      attributes: { material: "linen" },
      tags: ["organic", "summer"],
      category: { id: cat.leaf, name: "Linen", slug: "linen" },
      breadcrumb: [
        { id: cat.root, name: "Clothing", slug: "clothing" },
        { id: cat.mid, name: "Shirts", slug: "shirts" },
        { id: cat.leaf, name: "Linen", slug: "linen" },
      ],
      options: [{ id: expect.any(String), name: "Size", position: 0, values: ["S", "M"] }],
      variants: [
        {
          id: small?.id,
          sku: "LS-S",
          title: "S",
          price: 4500,
          compareAtPrice: 6000,
          options: { Size: "S" },
          weightGrams: 300,
          position: 0,
          available: 0,
          inStock: false,
        },
        {
          id: medium?.id,
          sku: "LS-M",
          title: "M",
          price: 5000,
          compareAtPrice: null,
          options: { Size: "M" },
          weightGrams: null,
          position: 1,
          available: 3,
          inStock: true,
        },
      ],
      images: [
        { id: expect.any(String), url: "https://img.test/front.jpg", alt: "Front", position: 0 },
        { id: expect.any(String), url: "https://img.test/back.jpg", alt: "Back", position: 1 },
      ],
      price: { min: 4500, max: 5000, compareAt: 6000, currency: "USD" },
      inStock: true,
      collections: [
        { id: col.first, slug: "new-in", title: "New in" },
        { id: col.second, slug: "b-sale", title: "Sale" },
      ],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.body).not.toHaveProperty("metadata");
  });

  test("by id, by slug and over tRPC: the same answer", async () => {
    const bySlug = await t.rest.get("/api/v1/products/linen-shirt");
    const byId = await t.rest.get(`/api/v1/products/${shirt.id}`);
    const byUpperId = await t.rest.get(`/api/v1/products/${shirt.id.toUpperCase()}`);
    const trpc = await t.trpc.catalog.products.get.query({ idOrSlug: "linen-shirt" });
    expect(byId.body).toEqual(bySlug.body);
    expect(byUpperId.body).toEqual(bySlug.body);
    expect(trpc).toEqual(bySlug.body);
  });

  test("a product without category, options or images", async () => {
    const bare = await makeProduct(t, { title: "Bare" });
    const res = await t.rest.get(`/api/v1/products/${bare.slug}`);
    expect(res.body).toMatchObject({ category: null, breadcrumb: [], options: [], images: [], collections: [] });
  });

  test("draft and archived products are 404 by slug and by id, on both transports", async () => {
    for (const p of Object.values(hidden)) {
      for (const key of [p.slug, p.id]) {
        const res = await t.rest.get(`/api/v1/products/${key}`);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe("NOT_FOUND");
        const err = await trpcError(t.trpc.catalog.products.get.query({ idOrSlug: key }));
        expect(err.data.code).toBe("NOT_FOUND");
      }
    }
  });

  test("an unknown slug or id is 404", async () => {
    expect((await t.rest.get("/api/v1/products/no-such-thing")).status).toBe(404);
    expect((await t.rest.get(`/api/v1/products/${newId()}`)).status).toBe(404);
  });

  test("a product published after a 404 was cached is found", async () => {
    expect((await t.rest.get("/api/v1/products/coming-soon")).status).toBe(404);
    await makeProduct(t, { title: "Coming soon", slug: "coming-soon" });
    expect((await t.rest.get("/api/v1/products/coming-soon")).status).toBe(200);
  });
});

describe("GET /api/v1/collections and catalog.collections", () => {
  test("ordered by position, then title, one page at a time", async () => {
    const first = await t.rest.get("/api/v1/collections?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { slug: string }) => c.slug)).toEqual(["new-in", "a-autumn"]);
    const rest = await t.rest.get(`/api/v1/collections?limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body).toEqual({
      items: [expect.objectContaining({ slug: "b-sale", title: "Sale" })],
      nextCursor: null,
    });
    const trpc = await t.trpc.catalog.collections.list.query({ limit: 2 });
    expect(trpc).toEqual(first.body);
  });

  test("one collection by slug or id; unknown is 404", async () => {
    const bySlug = await t.rest.get("/api/v1/collections/b-sale");
    expect(bySlug.status).toBe(200);
    expect(bySlug.body).toEqual({
      id: col.second,
      slug: "b-sale",
      title: "Sale",
      description: "",
      position: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await t.rest.get(`/api/v1/collections/${col.second}`)).body).toEqual(bySlug.body);
    expect(await t.trpc.catalog.collections.get.query({ idOrSlug: "b-sale" })).toEqual(bySlug.body);
    expect((await t.rest.get("/api/v1/collections/nope")).status).toBe(404);
    const err = await trpcError(t.trpc.catalog.collections.get.query({ idOrSlug: "nope" }));
    expect(err.data.code).toBe("NOT_FOUND");
  });

  test("its products are the product list filtered by collectionId", async () => {
    const res = await t.rest.get(`/api/v1/products?collectionId=${col.first}`);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([shirt.id]);
  });

  test("a forged collection cursor is a 400 naming cursor", async () => {
    const forged = Buffer.from(JSON.stringify({ p: "1", t: "x", i: newId() })).toString("base64url");
    for (const cursor of [forged, "%%%", Buffer.from("[]").toString("base64url")]) {
      const res = await t.rest.get(`/api/v1/collections?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe("cursor");
    }
  });
});
