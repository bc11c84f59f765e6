import { beforeAll, describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { type TestApp, useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { COLLECTIONS_TAG, PRODUCT_LISTS_TAG, productTag } from "../cache-tags";
import { productsChangedInTx } from "../listing";

// The number of SQL statements a storefront read issues does not grow with what it answers (issue 14:
// Vendure runs 71 per list page). Counted on the app's own pool, as revocation.test.ts does, uncached.

const t = await useTestApp();

async function statementsDuring(app: TestApp, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const options = app.sql.options as { debug: unknown };
  options.debug = (_connection: number, query: string) => seen.push(query);
  try {
    await fn();
  } finally {
    options.debug = false;
  }
  return seen;
}

/** The statements of one uncached read: its cache entries are made stale first. */
async function uncached(tags: string[], read: () => Promise<unknown>): Promise<string[]> {
  await t.ctx().cache.invalidateTags(tags);
  let answer: unknown;
  const statements = await statementsDuring(t, async () => {
    answer = await read();
  });
  // A REST answer says its status; a tRPC one throws unless it succeeded.
  if (answer && typeof answer === "object" && "status" in answer) expect(answer.status).toBe(200);
  return statements;
}

const category = newId();
const collection = newId();
let big: { id: string; slug: string };
let small: { id: string; slug: string };

beforeAll(async () => {
  await t.sql`insert into categories (id, name, slug) values (${category}, 'Tools', 'tools')`;
  await t.sql`insert into collections (id, slug, title) values (${collection}, 'all', 'All')`;
  // Sixty products in a few statements (makeProduct writes one at a time), then their listings.
  const ids = Array.from({ length: 60 }, () => newId());
  await t.sql`insert into products (id, slug, title, status, category_id)
    select id, 'hammer-' || n, 'Hammer ' || n, 'active', ${category}
    from unnest(${ids}::uuid[]) with ordinality as x(id, n)`;
  await t.sql`insert into collection_products (collection_id, product_id) select ${collection}, unnest(${ids}::uuid[])`;
  await t.sql`insert into variants (id, product_id, sku, title, price, options)
    select gen_random_uuid(), id, 'H-' || n || '-' || s, s, 1000 * (s = 'M')::int + 1000 + n, jsonb_build_object('Size', s)
    from unnest(${ids}::uuid[]) with ordinality as x(id, n), unnest(array['S', 'M']) as s`;
  await t.sql`insert into inventory_levels (variant_id, on_hand)
    select v.id, 5 from variants v where v.product_id = any(${ids}::uuid[])`;
  await inTransaction(t.ctx({ kind: "system", name: "test" }), (tx) => productsChangedInTx(tx, ids));
  small = await makeProduct(t, { title: "Nail" });
  big = await makeProduct(t, {
    title: "Toolbox",
    categoryId: category,
    collectionIds: [collection],
    options: [{ name: "Size", values: ["1", "2", "3", "4", "5", "6"] }],
    variants: [1, 2, 3, 4, 5, 6].map((n) => ({ price: 100 * n, options: { Size: String(n) } })),
    images: [1, 2, 3, 4].map((n) => ({ url: `https://img.test/${n}.jpg` })),
  });
});

describe("SQL statements per storefront read", () => {
  const filtered = `categoryId=${category}&collectionId=${collection}&minPrice=1000&maxPrice=2100&option.size=m&q=hammer&inStock=true`;

  test("a list page of 5 and of 50 issue one statement each, on REST and tRPC, with or without filters", async () => {
    for (const query of ["", `&${filtered}`, "&sort=price_desc", "&sort=title"]) {
      expect((await t.rest.get(`/api/v1/products?limit=50${query}`)).body.items).toHaveLength(50);
      const five = await uncached([PRODUCT_LISTS_TAG], () => t.rest.get(`/api/v1/products?limit=5${query}`));
      const fifty = await uncached([PRODUCT_LISTS_TAG], () => t.rest.get(`/api/v1/products?limit=50${query}`));
      expect(fifty.length).toBe(five.length);
      expect(five).toHaveLength(1);
    }
    const five = await uncached([PRODUCT_LISTS_TAG], () => t.trpc.catalog.products.list.query({ limit: 5 }));
    const fifty = await uncached([PRODUCT_LISTS_TAG], () => t.trpc.catalog.products.list.query({ limit: 50 }));
    expect([five.length, fifty.length]).toEqual([1, 1]);
  });

  test("a later page costs the same as the first", async () => {
    const first = await t.rest.get("/api/v1/products?limit=50");
    const next = await uncached([PRODUCT_LISTS_TAG], () =>
      t.rest.get(`/api/v1/products?limit=50&cursor=${first.body.nextCursor}`),
    );
    expect(next).toHaveLength(1);
  });

  test("a cached list page issues none", async () => {
    await t.rest.get("/api/v1/products?limit=20");
    expect(await statementsDuring(t, () => t.rest.get("/api/v1/products?limit=20"))).toEqual([]);
  });

  test("a product page costs the same with 1 variant or 6 variants and 4 images", async () => {
    const tags = [PRODUCT_LISTS_TAG, productTag(small.id), productTag(big.id)];
    for (const key of ["id", "slug"] as const) {
      const one = await uncached(tags, () => t.rest.get(`/api/v1/products/${small[key]}`));
      const six = await uncached(tags, () => t.rest.get(`/api/v1/products/${big[key]}`));
      expect(six.length).toBe(one.length);
      // By slug, the slug is first resolved to the id (cached on its own).
      expect(one).toHaveLength(key === "id" ? 1 : 2);
    }
  });

  test("a collection page issues one statement", async () => {
    expect(await uncached([COLLECTIONS_TAG], () => t.rest.get("/api/v1/collections"))).toHaveLength(1);
    expect(await uncached([COLLECTIONS_TAG], () => t.rest.get("/api/v1/collections/all"))).toHaveLength(1);
  });
});
