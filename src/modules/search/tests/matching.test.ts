import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { makeStore, newShopper, selects } from "./fixture";

const t = await useTestApp();
const store = await makeStore(t);
const titleOf = new Map(store.products.map((p) => [p.id, p.title]));

/** The titles a REST search answers, in its order. */
async function titles(params: Record<string, string | number | boolean>): Promise<string[]> {
  const query = new URLSearchParams(Object.entries({ limit: 100, ...params }).map(([k, v]) => [k, String(v)]));
  const res = await t.rest.get(`/api/v1/search/products?${query}`, { headers: newShopper() });
  expect(res.status).toBe(200);
  return res.body.items.map((item: { title: string }) => item.title);
}

describe("search.products: words", () => {
  test('finds "iPhone 15 Pro" for a transposition ("iphnoe") and for a prefix ("iph")', async () => {
    expect(await titles({ q: "iphnoe" })).toContain("iPhone 15 Pro");
    expect(await titles({ q: "iph" })).toContain("iPhone 15 Pro");
    const trpc = await t.trpc.search.products.query({ q: "iphnoe" });
    expect(trpc.items.map((i) => i.title)).toContain("iPhone 15 Pro");
  });

  test("every word must match, each with its own typo", async () => {
    expect(await titles({ q: "iphnoe pro" })).toEqual(["iPhone 15 Pro", "Leather Case"]);
    expect(await titles({ q: "galxy s24" })).toEqual(["Galaxy S24"]);
    expect(await titles({ q: "iphone galaxy" })).toEqual([]);
  });

  test("a typo in an unfinished word still matches (iphn)", async () => {
    expect(await titles({ q: "ipho" })).toContain("iPhone 15 Pro");
    expect(await titles({ q: "iphn" })).toContain("iPhone 15 Pro");
  });

  test("a word nothing is near finds nothing, and a query of no words finds nothing", async () => {
    expect(await titles({ q: "xylophone" })).toEqual([]);
    expect(await titles({ q: "-- !!" })).toEqual([]);
  });

  test("a title match ranks above a description-only match", async () => {
    // Both mention the iPhone; only one in its title (the case says it in its description).
    expect(await titles({ q: "iphone" })).toEqual(["iPhone 15 Pro", "Leather Case"]);
  });

  test("drafts and archived products never appear, whatever matches", async () => {
    const res = await t.rest.get("/api/v1/search/products?q=galaxy&limit=100");
    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain(store.hidden.draft);
    expect(ids).not.toContain(store.hidden.archived);
    expect(res.body.facets.tags).not.toContainEqual({ value: "apple", count: expect.any(Number) });
    const trpc = await t.trpc.search.products.query({ q: "iphone", limit: 100 });
    expect(trpc.items.map((i) => i.id)).not.toContain(store.hidden.draft);
  });

  test("a product is searchable the moment its write commits, new words included (no worker)", async () => {
    expect(await titles({ q: "toy" })).toEqual([]);
    expect(await titles({ q: "qoukka" })).toEqual([]);
    await makeProduct(t, { title: "Quokka Plush", description: "A soft toy" });
    // The same searches again: a cached answer does not outlive the write.
    expect(await titles({ q: "toy" })).toEqual(["Quokka Plush"]);
    expect(await titles({ q: "qoukka" })).toEqual(["Quokka Plush"]);
  });

  test("a word is not corrected to a much shorter one (camrea is not care)", async () => {
    await makeProduct(t, { title: "Care Kit", description: "A soft toy" });
    expect(await titles({ q: "leathre" })).toEqual(["Leather Case"]);
    // One edit suits a four-letter word; two (a swap) are too many for it.
    expect(await titles({ q: "toy cake" })).toEqual(["Care Kit"]);
    expect(await titles({ q: "toy caer" })).toEqual([]);
    expect(await titles({ q: "camrea" })).toEqual([]);
    expect(await titles({ q: "toy carexy" })).toEqual([]);
  });

  test("a title word with one typo of any kind still finds its product (property)", async () => {
    const words = [
      ["iphone", "iPhone 15 Pro"],
      ["leather", "Leather Case"],
      ["galaxy", "Galaxy S24"],
      ["headphones", "Sony Headphones"],
      ["charger", "Phone Charger"],
      ["travel", "Travel Adapter"],
    ] as const;
    const typo = fc
      .record({
        word: fc.constantFrom(...words),
        kind: fc.constantFrom("swap", "substitute", "drop", "insert"),
        at: fc.nat(),
        letter: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"),
      })
      .map(({ word: [word, title], kind, at, letter }) => {
        const i = at % (word.length - 1);
        const typed =
          kind === "swap"
            ? word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
            : kind === "substitute"
              ? word.slice(0, i) + letter + word.slice(i + 1)
              : kind === "drop"
                ? word.slice(0, i) + word.slice(i + 1)
                : word.slice(0, i) + letter + word.slice(i);
        return { typed, title };
      });
    // A typo that spells another word (or its start) is taken as typed: "phone" is not "iphone".
    const known = (await t.sql<{ term: string }[]>`select term from search_terms`).map((r) => r.term);
    const unknown = typo.filter(({ typed }) => !known.some((term) => term.startsWith(typed)));
    await fc.assert(
      fc.asyncProperty(unknown, async ({ typed, title }) => {
        expect(await titles({ q: typed })).toContain(title);
      }),
      { numRuns: 60 },
    );
  });
});

describe("search.products: filters narrow exactly as the list's", () => {
  const { electronics, phones, audio, accessories } = store.categories;
  const filters = fc.record(
    {
      categoryId: fc.constantFrom(electronics, phones, audio, accessories),
      collectionId: fc.constant(store.sale),
      tag: fc.constantFrom("apple", "phone", "audio", "charger", "none"),
      minPrice: fc.constantFrom(0, 999, 1000, 1001, 2000, 3000, 99_900),
      maxPrice: fc.constantFrom(500, 999, 1000, 2000, 2999, 24_900, 200_000),
      inStock: fc.boolean(),
      options: fc.constantFrom({ color: "black" }, { color: "White" }, { color: "BLUE" }),
    },
    { requiredKeys: [] },
  );

  test("over random combinations of filters, on both transports (property)", async () => {
    await fc.assert(
      fc.asyncProperty(filters, async (f) => {
        const expected = store.products.filter((p) => selects(p, f)).map((p) => p.title);
        const { options, ...plain } = f;
        const params = {
          q: "gadget",
          ...plain,
          ...Object.fromEntries(Object.entries(options ?? {}).map(([k, v]) => [`option.${k}`, v])),
        };
        expect((await titles(params)).sort()).toEqual(expected.sort());
        const trpc = await t.trpcWith(newShopper()).search.products.query({ q: "gadget", limit: 100, ...f });
        expect(trpc.items.map((i) => titleOf.get(i.id)).sort()).toEqual(expected.sort());
      }),
      { numRuns: 40 },
    );
  });

  test("prices are inclusive on variants: a range straddling a product with no variant inside misses it", async () => {
    expect(await titles({ q: "gadget", minPrice: 1000, maxPrice: 2000, sort: "title" })).toEqual(["Phone Charger"]);
    expect(await titles({ q: "gadget", minPrice: 3000, maxPrice: 3000 })).toEqual(["Travel Adapter"]);
  });

  test("a category includes its descendants", async () => {
    expect((await titles({ q: "gadget", categoryId: electronics })).length).toBe(5);
  });
});

describe("search.products: sorts", () => {
  test("price, title and newest sorts order every match", async () => {
    const byPrice = [...store.products].sort((a, b) => Math.min(...a.prices) - Math.min(...b.prices));
    expect(await titles({ q: "gadget", sort: "price_asc" })).toEqual(byPrice.map((p) => p.title));
    expect(await titles({ q: "gadget", sort: "price_desc" })).toEqual(byPrice.map((p) => p.title).reverse());
    // In the database's collation, as the list sorts.
    const byTitle = await t.sql<{ title: string }[]>`
      select title from products where status = 'active' and description like '%gadget%' order by title, id`;
    expect(await titles({ q: "gadget", sort: "title" })).toEqual(byTitle.map((r) => r.title));
    expect(await titles({ q: "gadget", sort: "newest" })).toEqual(store.products.map((p) => p.title).reverse());
  });
});
