import { beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { trpcError } from "../../../../tests/errors";
import { makeProduct, type ProductFixture } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { products } from "../../../db/schema";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx } from "../listing";
import { PRODUCT_SORTS } from "../storefront-schemas";
import { expectedIds, type Filters, type ModelProduct, restQuery, walkRest, walkTrpc } from "./storefront-model";

const t = await useTestApp();

// A catalog built to catch off-by-one and boundary errors: prices on and just beside the bounds of
// 1000..3000, a product whose range straddles them with no variant inside, a category tree three
// deep, ties in every sort key, stock on one variant only, and hidden products that match everything.
const cat = { clothing: newId(), shirts: newId(), linen: newId(), home: newId() };
const summer = newId();
const sale = newId();
const T0 = new Date("2026-01-01T10:00:00.000Z");
const T1 = new Date("2026-01-02T10:00:00.000Z");
const T2 = new Date("2026-01-03T10:00:00.000Z");

const model: ModelProduct[] = [];
const names = new Map<string, string>();

async function add(name: string, f: ProductFixture & { createdAt: Date }, path: string[]) {
  const made = await makeProduct(t, { ...f, title: f.title });
  model.push({
    id: made.id,
    title: f.title,
    description: f.description,
    status: f.status ?? "active",
    createdAt: f.createdAt,
    categoryPath: path,
    collectionIds: f.collectionIds ?? [],
    tags: f.tags ?? [],
    variants: (f.variants ?? [{ price: 1000 }]).map((v) => ({
      price: v.price,
      onHand: v.onHand ?? 10,
      options: v.options ?? {},
    })),
  });
  names.set(made.id, name);
  return made;
}

const named = (ids: string[]) => ids.map((id) => names.get(id));

let deletable: string;

beforeAll(async () => {
  await t.sql`insert into categories (id, parent_id, name, slug) values
    (${cat.clothing}, null, 'Clothing', 'clothing'), (${cat.home}, null, 'Home', 'home')`;
  await t.sql`insert into categories (id, parent_id, name, slug) values (${cat.shirts}, ${cat.clothing}, 'Shirts', 'shirts')`;
  await t.sql`insert into categories (id, parent_id, name, slug) values (${cat.linen}, ${cat.shirts}, 'Linen', 'linen')`;
  await t.sql`insert into collections (id, slug, title) values (${summer}, 'summer', 'Summer'), (${sale}, 'sale', 'Sale')`;
  const linenPath = [cat.clothing, cat.shirts, cat.linen];
  const size = [{ name: "Size", values: ["S", "M", "L"] }];

  await add(
    "lower-bound",
    {
      title: "Alpha",
      description: "Linen shirt, washed",
      categoryId: cat.linen,
      tags: ["organic"],
      options: size,
      variants: [
        { price: 1000, options: { Size: "M" } },
        { price: 2000, options: { Size: "L" }, onHand: 0 },
      ],
      createdAt: T0,
    },
    linenPath,
  );
  await add(
    "straddles",
    {
      title: "Bravo",
      categoryId: cat.shirts,
      options: size,
      variants: [
        { price: 999, options: { Size: "S" } },
        { price: 3001, options: { Size: "L" } },
      ],
      collectionIds: [summer],
      createdAt: T0,
    },
    [cat.clothing, cat.shirts],
  );
  await add(
    "upper-bound-no-stock",
    {
      title: "Charlie",
      categoryId: cat.clothing,
      variants: [{ price: 3000, onHand: 0 }],
      collectionIds: [summer, sale],
      tags: ["organic", "sale"],
      createdAt: T1,
    },
    [cat.clothing],
  );
  await add(
    "below",
    { title: "Delta", categoryId: cat.home, variants: [{ price: 999 }], tags: ["Organic"], createdAt: T1 },
    [cat.home],
  );
  await add(
    "above",
    { title: "Echo", description: "A linen throw", variants: [{ price: 3001 }], collectionIds: [sale], createdAt: T2 },
    [],
  );
  await add("same-title-and-price", { title: "Echo", variants: [{ price: 1000 }], createdAt: T2 }, []);
  await add(
    "no-options-mixed-stock",
    {
      title: "Foxtrot",
      categoryId: cat.linen,
      options: [{ name: "Color", values: ["Red", "Blue"] }],
      variants: [
        { price: 1500, options: { Color: "Red" }, onHand: 0 },
        { price: 1500, options: { Color: "Blue" }, onHand: 3 },
      ],
      createdAt: T2,
    },
    linenPath,
  );
  for (const status of ["draft", "archived"] as const) {
    await add(
      status,
      {
        title: `Hidden ${status}`,
        description: "Linen shirt",
        status,
        categoryId: cat.linen,
        tags: ["organic"],
        options: size,
        variants: [{ price: 1500, options: { Size: "M" } }],
        collectionIds: [summer],
        createdAt: T2,
      },
      linenPath,
    );
  }
  deletable = (await add("deleted-later", { title: "Golf", variants: [{ price: 1200 }], createdAt: T1 }, [])).id;
});

// Every filter on its own, its boundaries, and combinations, each with the products it must answer.
const CASES: [string, Filters, string[]][] = [
  [
    "no filter",
    {},
    [
      "lower-bound",
      "straddles",
      "upper-bound-no-stock",
      "below",
      "above",
      "same-title-and-price",
      "no-options-mixed-stock",
      "deleted-later",
    ],
  ],
  [
    "price 1000..3000 inclusive, on variant prices",
    { minPrice: 1000, maxPrice: 3000 },
    ["lower-bound", "upper-bound-no-stock", "same-title-and-price", "no-options-mixed-stock", "deleted-later"],
  ],
  ["minPrice only, inclusive", { minPrice: 3000 }, ["straddles", "upper-bound-no-stock", "above"]],
  ["maxPrice only, inclusive", { maxPrice: 999 }, ["straddles", "below"]],
  [
    "a price range between two variants",
    { minPrice: 1001, maxPrice: 1999 },
    ["no-options-mixed-stock", "deleted-later"],
  ],
  ["a single price", { minPrice: 2000, maxPrice: 2000 }, ["lower-bound"]],
  [
    "category with descendants",
    { categoryId: cat.clothing },
    ["lower-bound", "straddles", "upper-bound-no-stock", "no-options-mixed-stock"],
  ],
  ["a middle category", { categoryId: cat.shirts }, ["lower-bound", "straddles", "no-options-mixed-stock"]],
  ["a leaf category", { categoryId: cat.linen }, ["lower-bound", "no-options-mixed-stock"]],
  ["collection", { collectionId: summer }, ["straddles", "upper-bound-no-stock"]],
  ["tag, exactly", { tag: "organic" }, ["lower-bound", "upper-bound-no-stock"]],
  ["option, in another case", { options: { size: "m" } }, ["lower-bound"]],
  ["option, name and value upper case", { options: { SIZE: "L" } }, ["lower-bound", "straddles"]],
  ["two options of different products", { options: { size: "l", color: "red" } }, []],
  ["option of an out-of-stock variant", { options: { color: "RED" } }, ["no-options-mixed-stock"]],
  [
    "in stock",
    { inStock: true },
    ["lower-bound", "straddles", "below", "above", "same-title-and-price", "no-options-mixed-stock", "deleted-later"],
  ],
  ["out of stock", { inStock: false }, ["upper-bound-no-stock"]],
  ["free text, prefix", { q: "lin" }, ["lower-bound", "above"]],
  ["free text, two words", { q: "Linen SHI" }, ["lower-bound"]],
  ["free text, no match", { q: "velvet" }, []],
  [
    "everything at once",
    {
      categoryId: cat.clothing,
      minPrice: 1000,
      maxPrice: 3000,
      inStock: true,
      options: { size: "M" },
      tag: "organic",
      q: "alp",
    },
    ["lower-bound"],
  ],
  ["an unknown collection", { collectionId: newId() }, []],
];

describe("GET /api/v1/products and catalog.products.list", () => {
  test.each(CASES)("%s: exactly the right products", async (_, filters, expected) => {
    const want = expectedIds(model, filters, "newest");
    expect(named(want).sort()).toEqual([...expected].sort());
    const res = await t.rest.get(`/api/v1/products?${restQuery(filters, { limit: 100 })}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(want);
    expect(res.body.nextCursor).toBeNull();
    const page = await t.trpc.catalog.products.list.query({ ...filters, limit: 100 });
    expect(page).toEqual(res.body);
  });

  test("walking every page with limits 1 to 3, in every sort, meets each product once in order (REST)", async () => {
    for (const sort of PRODUCT_SORTS) {
      for (const filters of [{}, { categoryId: cat.clothing }, { minPrice: 1000, maxPrice: 3000 }, { inStock: true }]) {
        const want = expectedIds(model, filters, sort);
        for (const limit of [1, 2, 3]) expect(await walkRest(t.rest, filters, sort, limit)).toEqual(want);
      }
    }
  });

  test("walking every page over tRPC gives the same order", async () => {
    for (const sort of PRODUCT_SORTS) {
      for (const limit of [1, 2, 3])
        expect(await walkTrpc(t.trpc, {}, sort, limit)).toEqual(expectedIds(model, {}, sort));
    }
  });

  test("ties in the sort key are broken by id: same createdAt, same price, same title", () => {
    // The fixture holds them; the walks above compare against this order.
    const echo = model.filter((p) => p.title === "Echo");
    expect(echo).toHaveLength(2);
    expect(new Set(model.filter((p) => p.createdAt === T2).map((p) => p.id)).size).toBeGreaterThan(1);
    expect(expectedIds(model, { minPrice: 1000, maxPrice: 1000 }, "price_asc")).toHaveLength(2);
  });

  test("the last page has nextCursor null, and a page of exactly the rest ends the list", async () => {
    const all = expectedIds(model, {}, "title");
    const first = await t.rest.get(`/api/v1/products?sort=title&limit=${all.length - 1}`);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const last = await t.rest.get(
      `/api/v1/products?sort=title&limit=${all.length}&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(last.body.items.map((i: { id: string }) => i.id)).toEqual(all.slice(-1));
    expect(last.body.nextCursor).toBeNull();
    const exact = await t.rest.get(`/api/v1/products?sort=title&limit=${all.length}`);
    expect(exact.body.items).toHaveLength(all.length);
    expect(exact.body.nextCursor).toBeNull();
  });

  test("an empty list is one empty page", async () => {
    const res = await t.rest.get("/api/v1/products?tag=nothing-has-this");
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  test("cards carry what a product card needs", async () => {
    const res = await t.rest.get(`/api/v1/products?${restQuery({ q: "alpha" })}`);
    expect(res.body.items).toEqual([
      {
        id: model[0]?.id,
        slug: expect.stringMatching(/^alpha-/),
        title: "Alpha",
        image: null,
        price: { min: 1000, max: 2000, compareAt: null, currency: "USD" },
        inStock: true,
        createdAt: T0.toISOString(),
      },
    ]);
  });

  test("draft and archived products never appear, on either transport", async () => {
    const hidden = model.filter((p) => p.status !== "active").map((p) => p.id);
    expect(hidden).toHaveLength(2);
    for (const filters of [
      {},
      { categoryId: cat.linen },
      { collectionId: summer },
      { q: "hidden" },
      { tag: "organic" },
    ]) {
      const rest = await walkRest(t.rest, filters, "newest", 100);
      const trpc = await walkTrpc(t.trpc, filters, "newest", 100);
      for (const id of hidden) {
        expect(rest).not.toContain(id);
        expect(trpc).not.toContain(id);
      }
    }
  });
});

describe("cursors", () => {
  const firstPage = async (query: string) => {
    const res = await t.rest.get(`/api/v1/products?${query}`);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    return res.body.nextCursor as string;
  };

  test("a cursor of another sort is a 400 naming cursor, on both transports", async () => {
    const cursor = await firstPage("sort=price_asc&limit=1");
    const res = await t.rest.get(`/api/v1/products?sort=title&limit=1&cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "cursor", message: expect.stringContaining("sort price_asc") }]);
    const err = await trpcError(t.trpc.catalog.products.list.query({ sort: "title", limit: 1, cursor }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
  });

  test("a cursor of other filters is a 400; the same filters in another spelling continue", async () => {
    const cursor = await firstPage("limit=1&option.size=L&inStock=true");
    expect((await t.rest.get(`/api/v1/products?limit=1&option.size=M&inStock=true&cursor=${cursor}`)).status).toBe(400);
    expect((await t.rest.get(`/api/v1/products?limit=1&cursor=${cursor}`)).status).toBe(400);
    const same = await t.rest.get(`/api/v1/products?inStock=true&option.SIZE=l&limit=1&cursor=${cursor}`);
    expect(same.status).toBe(200);
  });

  test("forged cursors are 400s, never 500s", async () => {
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const good = JSON.parse(Buffer.from(await firstPage("limit=1"), "base64url").toString("utf8"));
    const forged: [string, string][] = [
      ["newest", "junk"],
      ["newest", forge({ ...good, k: "0000-01-01T00:00:00.000000Z" })],
      ["newest", forge({ ...good, k: "2026-02-30T00:00:00.000000Z" })],
      ["newest", forge({ ...good, k: 5 })],
      ["newest", forge({ ...good, i: "not-a-uuid" })],
      ["newest", forge({ ...good, extra: 1 })],
      ["newest", forge({ ...good, s: "popular" })],
      ["price_asc", forge({ s: "price_asc", f: good.f, k: -1, i: good.i })],
      ["price_asc", forge({ s: "price_asc", f: good.f, k: 2 ** 40, i: good.i })],
      ["title", forge({ s: "title", f: good.f, k: "\u0000", i: good.i })],
    ];
    for (const [sort, cursor] of forged) {
      const res = await t.rest.get(`/api/v1/products?sort=${sort}&limit=1&cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors[0].path).toBe("cursor");
    }
  });

  test("a cursor after a deleted product still continues with the next one", async () => {
    const all = expectedIds(model, {}, "newest");
    const at = all.indexOf(deletable);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(all.length - 1);
    const page = await t.rest.get(`/api/v1/products?limit=${at + 1}`);
    expect(page.body.items.at(-1).id).toBe(deletable);
    await inTransaction(t.ctx({ kind: "system", name: "test" }), async (tx) => {
      await tx.db.delete(products).where(eq(products.id, deletable));
      await productsChangedInTx(tx, [deletable]);
    });
    const next = await t.rest.get(`/api/v1/products?limit=100&cursor=${page.body.nextCursor}`);
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual(all.slice(at + 1));
    model.splice(
      model.findIndex((p) => p.id === deletable),
      1,
    );
  });
});

describe("input", () => {
  test("popular and rating are reserved for a later release", async () => {
    for (const sort of ["popular", "rating"]) {
      const res = await t.rest.get(`/api/v1/products?sort=${sort}`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { path: "sort", message: expect.stringContaining("reserved for a later release") },
      ]);
    }
    const err = await trpcError(t.trpc.catalog.products.list.query({ sort: "popular" as never }));
    expect(err.data.errors[0].message).toContain("reserved for a later release");
  });

  test("bad values name their field", async () => {
    const cases: [string, string][] = [
      ["minPrice=-1", "minPrice"],
      ["maxPrice=1e3", "maxPrice"],
      ["minPrice=10&maxPrice=9", "maxPrice"],
      ["inStock=yes", "inStock"],
      ["categoryId=shoes", "categoryId"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["sort=cheapest", "sort"],
      [`q=${"x".repeat(201)}`, "q"],
      ["option.size=", "option.size"],
      ["option.=M", "option."],
      ["colour=red", "colour"],
    ];
    for (const [query, field] of cases) {
      const res = await t.rest.get(`/api/v1/products?${query}`);
      expect(res.status, query).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
  });

  test("a q of punctuation only filters nothing", async () => {
    const res = await t.rest.get(`/api/v1/products?q=${encodeURIComponent("&|!:*'()")}&limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(expectedIds(model, {}, "newest").length);
  });
});
