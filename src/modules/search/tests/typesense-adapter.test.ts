import { beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { STAND_IN_API_KEY, useTypesenseStandIn } from "../../../../tests/typesense-stand-in";
import type { SearchRequest } from "../../../lib/catalog-search";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx } from "../../catalog/service";
import { syncSearchIndex } from "../tasks/sync-search-index";
import { NotExpressible, TypesenseSearch } from "../typesense-search";

const { standIn, env } = useTypesenseStandIn();
const t = await useTestApp({ env });
// The adapter alone, not the fallback: a request the stand-in refuses must fail the test.
const typesense = new TypesenseSearch({ url: standIn.url, apiKey: STAND_IN_API_KEY });
const search = (req: Partial<SearchRequest>) =>
  typesense.search({ q: "shirt", filters: {}, sort: "newest", limit: 20, page: 1, ...req });
const lastSearch = () => standIn.received.searches.at(-1)?.params ?? {};

const root = newId();
const child = newId();
const summer = newId();
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
let linen: string;
let cheap: string;
let wool: string;
let sold: string;

beforeAll(async () => {
  await t.sql`insert into categories (id, name, slug) values (${root}, 'Clothes', 'clothes')`;
  await t.sql`insert into categories (id, name, slug, parent_id) values (${child}, 'Shirts', 'shirts', ${root})`;
  await t.sql`insert into collections (id, slug, title) values (${summer}, 'summer', 'Summer')`;
  linen = (
    await makeProduct(t, {
      title: "Linen Shirt",
      description: "Breezy, for summer",
      categoryId: child,
      tags: ["linen", "new"],
      collectionIds: [summer],
      options: [{ name: "Size", values: ["M", "L"] }],
      variants: [
        { price: 1000, options: { Size: "M" } },
        { price: 3000, options: { Size: "L" }, onHand: 0 },
      ],
      createdAt: at(3),
    })
  ).id;
  cheap = (await makeProduct(t, { title: "Cheap Shirt", variants: [{ price: 999 }], createdAt: at(1) })).id;
  wool = (
    await makeProduct(t, {
      title: "Wool Shirt",
      description: "Warm",
      categoryId: root,
      tags: ["new"],
      options: [{ name: "Size", values: ["S"] }],
      variants: [{ price: 12000, options: { Size: "S" } }],
      createdAt: at(2),
    })
  ).id;
  sold = (await makeProduct(t, { title: "Sold Shirt", variants: [{ price: 2500, onHand: 0 }], createdAt: at(4) })).id;
  await makeProduct(t, { title: "Draft Shirt", status: "draft", createdAt: at(5) });
  await t.runJobs();
});

describe("index updates (Typesense stand-in)", () => {
  test("the first update creates the collection with a field for every filter, facet and sort, behind the alias", () => {
    expect(standIn.aliases.get("products")).toBe("products_initial");
    const schema = standIn.collection("products")?.schema;
    expect(schema?.default_sorting_field).toBe("created_at");
    expect(schema?.fields).toEqual([
      { name: "title", type: "string", sort: true },
      { name: "description", type: "string" },
      { name: "slug", type: "string", index: false, optional: true },
      { name: "tags", type: "string[]", facet: true },
      { name: "category_path", type: "string[]", facet: true },
      { name: "collection_ids", type: "string[]" },
      { name: "option_values", type: "string[]", facet: true },
      { name: "variant_prices", type: "int32[]" },
      { name: "min_price", type: "int32", facet: true },
      { name: "max_price", type: "int32" },
      { name: "in_stock", type: "bool", facet: true },
      { name: "created_at", type: "int64" },
    ]);
  });

  test("a product's document carries its listing: category path, collections, options, every variant price", () => {
    const doc = standIn.collection("products")?.docs.get(linen);
    expect(doc).toEqual({
      id: linen,
      title: "Linen Shirt",
      description: "Breezy, for summer",
      slug: expect.stringMatching(/^linen-shirt/),
      tags: ["linen", "new"],
      category_path: [root, child],
      collection_ids: [summer],
      option_values: ["size=l", "size=m"],
      variant_prices: [1000, 3000],
      min_price: 1000,
      max_price: 3000,
      in_stock: true,
      created_at: at(3).getTime() / 1000,
    });
    expect(standIn.received.imports.every((i) => i.action === "upsert")).toBe(true);
    expect(standIn.received.refused).toEqual([]);
  });

  test("the job empties the queue", async () => {
    expect((await t.sql`select product_id from product_changes`).length).toBe(0);
  });

  test("drafts are never indexed", () => {
    expect(standIn.collection("products")?.docs.size).toBe(4);
  });

  test("a product set back to draft, or deleted, leaves the index", async () => {
    const gone = await makeProduct(t, { title: "Gone Shirt" });
    const hidden = await makeProduct(t, { title: "Hidden Shirt" });
    await t.runJobs();
    const docs = standIn.collection("products")?.docs;
    expect(docs?.has(gone.id) && docs.has(hidden.id)).toBe(true);
    await inTransaction(t.ctx(), async (tx) => {
      await tx.db.execute(sql`update products set status = 'draft' where id = ${hidden.id}`);
      await tx.db.execute(sql`delete from products where id = ${gone.id}`);
      await productsChangedInTx(tx, [hidden.id, gone.id]);
    });
    await t.runJobs();
    expect(docs?.has(gone.id) || docs?.has(hidden.id)).toBe(false);
    const deleted = standIn.received.deletes.at(-1)?.filter ?? "";
    expect(deleted).toMatch(/^id:\[[0-9a-f,-]+\]$/);
    expect(deleted).toContain(hidden.id);
    expect(deleted).toContain(gone.id);
  });
});

describe("searches (Typesense stand-in)", () => {
  test("asks for title over description, with typos and prefixes, and only ids back", async () => {
    await search({ q: "shi" });
    expect(lastSearch()).toMatchObject({
      q: "shi",
      query_by: "title,description",
      query_by_weights: "2,1",
      num_typos: "2,1",
      prefix: "true,true",
      include_fields: "id",
    });
  });

  const cases: [string, SearchRequest["filters"], string, () => string[]][] = [
    ["a category matches its descendants", { categoryId: root }, `category_path:=\`${root}\``, () => [linen, wool]],
    ["a collection", { collectionId: summer }, `collection_ids:=\`${summer}\``, () => [linen]],
    ["a tag", { tag: "new" }, "tags:=`new`", () => [linen, wool]],
    ["an option value", { options: { size: "m" } }, "option_values:=`size=m`", () => [linen]],
    ["in stock", { inStock: true }, "in_stock:=true", () => [linen, wool, cheap]],
    ["out of stock", { inStock: false }, "in_stock:=false", () => [sold]],
    [
      "a price range, inclusive, on any variant",
      { minPrice: 999, maxPrice: 1000 },
      "variant_prices:[999..1000]",
      () => [linen, cheap],
    ],
    ["no variant in range", { minPrice: 1001, maxPrice: 2499 }, "variant_prices:[1001..2499]", () => []],
    ["a lower bound alone", { minPrice: 3000 }, "variant_prices:[3000..2147483647]", () => [linen, wool]],
    [
      "several at once, all applying",
      { tag: "new", inStock: true, maxPrice: 1000 },
      "tags:=`new` && in_stock:=true && variant_prices:[0..1000]",
      () => [linen],
    ],
  ];
  for (const [name, filters, filterBy, expected] of cases) {
    test(`filter: ${name}`, async () => {
      const answer = await search({ filters });
      expect(lastSearch().filter_by).toBe(filterBy);
      expect(answer.ids.sort()).toEqual(expected().sort());
    });
  }

  test("no filter sends no filter_by", async () => {
    await search({});
    expect(lastSearch().filter_by).toBeUndefined();
  });

  test("each sort asks for sortable fields, ties broken by the newest", async () => {
    const order = async (sort: SearchRequest["sort"]) => {
      const answer = await search({ sort });
      return { sortBy: lastSearch().sort_by, ids: answer.ids };
    };
    expect(await order("newest")).toEqual({ sortBy: "created_at:desc", ids: [sold, linen, wool, cheap] });
    expect(await order("price_asc")).toEqual({
      sortBy: "min_price:asc,created_at:desc",
      ids: [cheap, linen, sold, wool],
    });
    expect(await order("price_desc")).toEqual({
      sortBy: "min_price:desc,created_at:desc",
      ids: [wool, sold, linen, cheap],
    });
    expect(await order("title")).toEqual({ sortBy: "title:asc,created_at:desc", ids: [cheap, linen, sold, wool] });
    expect((await order("relevance")).sortBy).toBe("_text_match:desc,created_at:desc");
  });

  test("facets count every match: categories with ancestors, price buckets, stock, options and tags", async () => {
    const { facets } = await search({});
    expect(lastSearch().facet_by).toBe(
      "category_path,tags,option_values,in_stock,min_price(p0:[0, 1000], p1:[1000, 2500], p2:[2500, 5000], p3:[5000, 10000], p4:[10000, ])",
    );
    expect(facets.categories.sort((a, b) => a.value.localeCompare(b.value))).toEqual(
      [
        { value: root, count: 2 },
        { value: child, count: 1 },
      ].sort((a, b) => a.value.localeCompare(b.value)),
    );
    // Bucket edges are inclusive: 999 is in the first, 1000 and 2500 start the next ones.
    expect(facets.priceBuckets).toEqual([
      { min: 0, max: 999, count: 1 },
      { min: 1000, max: 2499, count: 1 },
      { min: 2500, max: 4999, count: 1 },
      { min: 5000, max: 9999, count: 0 },
      { min: 10000, max: null, count: 1 },
    ]);
    expect(facets.inStock).toEqual({ inStock: 3, outOfStock: 1 });
    expect(facets.options).toEqual({
      size: expect.arrayContaining([
        { value: "m", count: 1 },
        { value: "l", count: 1 },
        { value: "s", count: 1 },
      ]),
    });
    expect(facets.tags).toEqual([
      { value: "new", count: 2 },
      { value: "linen", count: 1 },
    ]);
  });

  test("pages by number and says whether another follows", async () => {
    const first = await search({ limit: 3, page: 1 });
    const second = await search({ limit: 3, page: 2 });
    expect(lastSearch()).toMatchObject({ per_page: "3", page: "2" });
    expect(first.more).toBe(true);
    expect(second.more).toBe(false);
    expect(new Set([...first.ids, ...second.ids]).size).toBe(4);
  });

  test("a filter value Typesense cannot quote is never sent", async () => {
    const before = standIn.received.searches.length;
    await expect(search({ filters: { tag: "a`b" } })).rejects.toBeInstanceOf(NotExpressible);
    expect(standIn.received.searches.length).toBe(before);
  });

  test("the stand-in refused nothing we sent", () => {
    expect(standIn.received.refused).toEqual([]);
  });
});

describe("a live collection dropped by hand (Typesense stand-in)", () => {
  test("the failed update is retried into a new collection behind the alias", async () => {
    // This adapter has seen the collection already: it does not look for it again before each update.
    await typesense.apply({ upserted: [], removed: [] });
    const p = await makeProduct(t, { title: "Phoenix Shirt" });
    const target = standIn.aliases.get("products") as string;
    standIn.collections.delete(target);
    standIn.aliases.delete("products");
    const ctx = { ...t.ctx(), search: typesense };
    await expect(syncSearchIndex(ctx)).rejects.toThrow();
    await syncSearchIndex(ctx);
    expect(standIn.collection("products")?.docs.has(p.id)).toBe(true);
  });
});
