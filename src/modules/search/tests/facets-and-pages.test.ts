import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { PostgresSearch } from "../postgres-search";
import { makeStore, newShopper } from "./fixture";

const t = await useTestApp();
const store = await makeStore(t);
const { electronics, phones, audio, accessories } = store.categories;
// 11 products matching "widget" alike, so relevance ties everywhere and only the tie-break orders them.
const widgets: string[] = [];
for (let i = 0; i < 11; i++) {
  widgets.push((await makeProduct(t, { title: `Widget ${i}`, variants: [{ price: 100 * (i % 3) }] })).id);
}

const search = (query: string) => t.rest.get(`/api/v1/search/products?${query}`, { headers: newShopper() });
const bucket = (min: number, max: number | null, count: number) => ({ min, max, count, currency: "USD" });

describe("search.products: facets", () => {
  test("count every match by category (with ancestors), price bucket, stock, option value and tag", async () => {
    const res = await search("q=gadget&limit=1");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.facets).toEqual({
      categories: [
        { value: electronics, count: 5 },
        { value: accessories, count: 2 },
        { value: phones, count: 2 },
        { value: audio, count: 1 },
      ].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)),
      // Lowest prices: 99900, 2999, 79900, 19900, 999 and 500.
      priceBuckets: [
        bucket(0, 999, 2),
        bucket(1000, 2499, 0),
        bucket(2500, 4999, 1),
        bucket(5000, 9999, 0),
        bucket(10_000, null, 3),
      ],
      inStock: { inStock: 5, outOfStock: 1 },
      options: {
        color: [
          { value: "black", count: 3 },
          { value: "blue", count: 1 },
          { value: "white", count: 1 },
        ],
        plug: [
          { value: "eu", count: 1 },
          { value: "us", count: 1 },
        ],
        watts: [
          { value: "20", count: 1 },
          { value: "65", count: 1 },
        ],
      },
      tags: [
        { value: "apple", count: 2 },
        { value: "phone", count: 2 },
        { value: "android", count: 1 },
        { value: "audio", count: 1 },
        { value: "case", count: 1 },
        { value: "charger", count: 1 },
      ],
      exhaustive: true,
    });
  });

  test("count with the filters applied, and never the hidden products", async () => {
    const res = await search(`q=iphone&categoryId=${electronics}`);
    expect(res.body.facets).toMatchObject({
      categories: [
        { value: electronics, count: 2 },
        ...[
          { value: accessories, count: 1 },
          { value: phones, count: 1 },
        ].sort((a, b) => (a.value < b.value ? -1 : 1)),
      ],
      priceBuckets: [
        bucket(0, 999, 0),
        bucket(1000, 2499, 0),
        bucket(2500, 4999, 1),
        bucket(5000, 9999, 0),
        bucket(10_000, null, 1),
      ],
      inStock: { inStock: 1, outOfStock: 1 },
      tags: [
        { value: "apple", count: 2 },
        { value: "case", count: 1 },
        { value: "phone", count: 1 },
      ],
    });
  });

  test("facets=false answers null and the same items", async () => {
    const without = await search("q=gadget&facets=false");
    const withFacets = await search("q=gadget");
    expect(without.body.facets).toBeNull();
    expect(without.body.items).toEqual(withFacets.body.items);
  });

  test("no match counts nothing, every bucket still listed", async () => {
    const res = await t.trpcWith(newShopper()).search.products.query({ q: "zzzzqqq" });
    expect(res).toEqual({
      items: [],
      nextCursor: null,
      facets: {
        categories: [],
        priceBuckets: [
          bucket(0, 999, 0),
          bucket(1000, 2499, 0),
          bucket(2500, 4999, 0),
          bucket(5000, 9999, 0),
          bucket(10_000, null, 0),
        ],
        inStock: { inStock: 0, outOfStock: 0 },
        options: {},
        tags: [],
        exhaustive: true,
      },
    });
  });

  test("count only the best matches past the engine's cap, and say so", async () => {
    const capped = new PostgresSearch(t.deps.database.db, t.deps.cache, 4);
    const request = { q: "widget", filters: {}, sort: "newest", limit: 2, page: 1 } as const;
    const answer = await capped.search(request);
    expect(answer.facets.exhaustive).toBe(false);
    // The four newest of the eleven widgets, each counted once.
    expect(answer.facets.inStock.inStock + answer.facets.inStock.outOfStock).toBe(4);
    expect(answer.ids).toEqual(widgets.slice(-2).reverse());
    // Another request: answers are cached by request, whatever the adapter's cap.
    const all = await new PostgresSearch(t.deps.database.db, t.deps.cache, 11).search({ ...request, limit: 3 });
    expect(all.facets.exhaustive).toBe(true);
    expect(all.facets.inStock.inStock + all.facets.inStock.outOfStock).toBe(11);
  });
});

describe("search.products: pages", () => {
  const sorts = ["relevance", "newest", "price_asc", "price_desc", "title"] as const;

  test("walking by cursor answers every match once, for each sort, and the last page says so", async () => {
    for (const sort of sorts) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await search(`q=widget&sort=${sort}&limit=4&facets=false${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual([...widgets].sort());
    }
  });

  test("page numbers answer the same pages as cursors, on both transports", async () => {
    const shopper = t.trpcWith(newShopper());
    const first = await shopper.search.products.query({ q: "widget", limit: 4, sort: "title" });
    const second = await shopper.search.products.query({ q: "widget", limit: 4, sort: "title", page: 2 });
    const byCursor = await search(`q=widget&limit=4&sort=title&cursor=${first.nextCursor}`);
    expect(byCursor.body.items).toEqual(second.items);
    const both = await search(`q=widget&limit=4&sort=title&page=2&cursor=${first.nextCursor}`);
    expect(both.body.items).toEqual(second.items);
    const third = await search("q=widget&limit=4&sort=title&page=3");
    expect(third.body.items).toHaveLength(3);
    expect(third.body.nextCursor).toBeNull();
    const beyond = await search("q=widget&limit=4&sort=title&page=4");
    expect(beyond.body).toMatchObject({ items: [], nextCursor: null });
  });
});

describe("search.products: bad input is a 400 naming the field", () => {
  const firstCursor = async () =>
    (await t.trpcWith(newShopper()).search.products.query({ q: "widget", limit: 2 })).nextCursor as string;

  test("on REST", async () => {
    const cursor = await firstCursor();
    const cases: [string, string][] = [
      ["q=widget&cursor=garbage", "cursor"],
      [`q=gadget&limit=2&cursor=${cursor}`, "cursor"],
      [`q=widget&limit=3&cursor=${cursor}`, "cursor"],
      [`q=widget&limit=2&page=3&cursor=${cursor}`, "page"],
      ["q=widget&page=0", "page"],
      ["q=widget&page=501", "page"],
      ["q=widget&limit=101", "limit"],
      ["q=widget&limit=0", "limit"],
      ["q=", "q"],
      ["q=%20%20", "q"],
      ["limit=5", "q"],
      [`q=${"a".repeat(201)}`, "q"],
      ["q=widget&sort=popular", "sort"],
      ["q=widget&minPrice=-1", "minPrice"],
      ["q=widget&inStock=yes", "inStock"],
      ["q=widget&categoryId=shoes", "categoryId"],
      ["q=widget&option.size=", "option.size"],
      ["q=widget&option.a%3Db=c", "option.a=b"],
    ];
    for (const [query, path] of cases) {
      const res = await search(query);
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: "VALIDATION_FAILED",
      });
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
  });

  test("on tRPC", async () => {
    const shopper = t.trpcWith(newShopper());
    const cursor = await firstCursor();
    const cases: [Parameters<typeof shopper.search.products.query>[0], string][] = [
      [{ q: "widget", cursor: "garbage" }, "cursor"],
      [{ q: "gadget", limit: 2, cursor }, "cursor"],
      [{ q: "widget", page: 0 }, "page"],
      [{ q: "widget", limit: 101 }, "limit"],
      [{ q: "" }, "q"],
      [{ q: "widget", options: { size: "" } }, "options.size"],
    ];
    for (const [input, path] of cases) {
      const err = await trpcError(shopper.search.products.query(input));
      expect(err.data.code).toBe("VALIDATION_FAILED");
      expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    const unknown = await trpcError(shopper.search.products.query({ q: "widget", color: "red" } as never));
    expect(unknown.data.errors.map((e: { path: string }) => e.path)).toEqual(["color"]);
  });

  test("a shopper searching too fast is told to wait (429 with Retry-After)", async () => {
    const shopper = newShopper();
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      statuses.push((await t.rest.get("/api/v1/search/products?q=zz&facets=false", { headers: shopper })).status);
    }
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    const last = await t.rest.get("/api/v1/search/products?q=zz", { headers: shopper });
    expect(last.status).toBe(429);
    expect(last.headers.get("retry-after")).not.toBeNull();
  });
});
