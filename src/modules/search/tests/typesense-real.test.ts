import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { createTestApp, type TestApp } from "../../../../tests/harness";
import type { SearchRequest } from "../../../lib/catalog-search";
import { newId } from "../../../lib/ids";
import { syncSearchIndex } from "../tasks/sync-search-index";
import { reindexTypesense } from "../typesense-reindex";
import { TypesenseSearch } from "../typesense-search";

// The same adapter against a real Typesense (`docker compose up typesense`, port published, then
// TYPESENSE_URL=http://localhost:8108 TYPESENSE_API_KEY=... bun test typesense-real). It works under
// an alias of its own and drops what it made, so it can share a server with a development index.
const { TYPESENSE_URL, TYPESENSE_API_KEY } = process.env;
const configured = Boolean(TYPESENSE_URL && TYPESENSE_API_KEY);
const suite = configured
  ? "the Typesense adapter against a real Typesense"
  : "the Typesense adapter against a real Typesense (skipped: TYPESENSE_URL and TYPESENSE_API_KEY are unset)";

describe.skipIf(!configured)(suite, () => {
  let t: TestApp;
  const alias = `cw_test_${process.pid}_${Date.now()}`;
  const typesense = new TypesenseSearch({
    url: TYPESENSE_URL ?? "http://unset",
    apiKey: TYPESENSE_API_KEY ?? "unset",
    alias,
    timeoutSeconds: 10,
  });
  const search = (req: Partial<SearchRequest>) =>
    typesense.search({ q: "lamp", filters: {}, sort: "relevance", limit: 20, page: 1, ...req });
  const category = newId();
  let brass: string;
  let glass: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.sql`insert into categories (id, name, slug) values (${category}, 'Lighting', 'lighting')`;
    brass = (
      await makeProduct(t, {
        title: "Brass Desk Lamp",
        description: "Warm light",
        categoryId: category,
        tags: ["desk"],
        options: [{ name: "Finish", values: ["Matte", "Gloss"] }],
        variants: [
          { price: 999, options: { Finish: "Matte" } },
          { price: 4000, options: { Finish: "Gloss" }, onHand: 0 },
        ],
      })
    ).id;
    glass = (await makeProduct(t, { title: "Glass Floor Lamp", variants: [{ price: 12000, onHand: 0 }] })).id;
    await makeProduct(t, { title: "Draft Lamp", status: "draft" });
    await syncSearchIndex({ ...t.ctx(), search: typesense });
  });

  afterAll(async () => {
    const collections = await typesense.client.collections().retrieve();
    for (const c of collections.filter((c) => c.name.startsWith(alias))) {
      await typesense.client.collections(c.name).delete();
    }
    await typesense.client
      .aliases(alias)
      .delete()
      .catch(() => {});
    await t?.close();
  });

  test("finds active products by a prefix and despite a typo, drafts never", async () => {
    expect((await search({ q: "lam" })).ids.sort()).toEqual([brass, glass].sort());
    expect((await search({ q: "brsas" })).ids).toEqual([brass]);
  });

  test("filters: category, tag, inclusive price on any variant, stock", async () => {
    expect((await search({ filters: { categoryId: category } })).ids).toEqual([brass]);
    expect((await search({ filters: { tag: "desk" } })).ids).toEqual([brass]);
    expect((await search({ filters: { minPrice: 4000, maxPrice: 4000 } })).ids).toEqual([brass]);
    expect((await search({ filters: { minPrice: 4001, maxPrice: 11999 } })).ids).toEqual([]);
    expect((await search({ filters: { inStock: false } })).ids).toEqual([glass]);
  });

  test("sorts and facets", async () => {
    expect((await search({ sort: "price_desc" })).ids).toEqual([glass, brass]);
    const { facets } = await search({});
    expect(facets.priceBuckets.map((b) => b.count)).toEqual([1, 0, 0, 0, 1]);
    expect(facets.inStock).toEqual({ inStock: 1, outOfStock: 1 });
    expect(facets.categories).toEqual([{ value: category, count: 1 }]);
    expect(facets.tags).toEqual([{ value: "desk", count: 1 }]);
  });

  test("removes a product, and reindexes into a new collection behind the alias", async () => {
    await typesense.apply({ upserted: [], removed: [glass] });
    expect((await search({})).ids).toEqual([brass]);
    const result = await reindexTypesense(t.deps.database.db, typesense);
    expect(await typesense.aliasTarget(alias)).toBe(result.collection);
    expect((await search({})).ids.sort()).toEqual([brass, glass].sort());
    expect(await typesense.health()).toEqual({ status: "ok" });
  });
});
