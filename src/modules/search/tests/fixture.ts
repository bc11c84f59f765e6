import { type MadeProduct, makeProduct, type ProductFixture } from "../../../../tests/factories/products";
import type { TestApp } from "../../../../tests/harness";
import type { ProductFilters } from "../../../lib/catalog-search";
import { newId } from "../../../lib/ids";

// A small store built to catch boundary errors: inclusive prices on variants
// (a product whose range straddles a price band with no variant inside it,
// prices at a bucket's edges), a category tree two deep, an option in mixed
// case, stock on one variant of two, and a draft and an archived product that
// match every word. Every visible product's description says "gadget", so one
// query matches them all and the filters alone decide.

export interface Store {
  categories: { electronics: string; phones: string; audio: string; accessories: string };
  sale: string;
  /** The visible products with what the filters read, to compute expectations in the test. */
  products: StoreProduct[];
  hidden: { draft: string; archived: string };
}

export interface StoreProduct {
  id: string;
  title: string;
  categoryPath: string[];
  collectionIds: string[];
  tags: string[];
  prices: number[];
  inStock: boolean;
  /** `name=value`, lower case. */
  optionValues: string[];
}

export async function makeStore(t: TestApp): Promise<Store> {
  const category = async (name: string, parentId: string | null) => {
    const id = newId();
    await t.sql`insert into categories (id, parent_id, name, slug) values (${id}, ${parentId}, ${name}, ${`${name.toLowerCase()}-${id.slice(-6)}`})`;
    return id;
  };
  const electronics = await category("Electronics", null);
  const phones = await category("Phones", electronics);
  const audio = await category("Audio", electronics);
  const accessories = await category("Accessories", electronics);
  const sale = newId();
  await t.sql`insert into collections (id, slug, title) values (${sale}, ${`sale-${sale.slice(-6)}`}, 'Sale')`;

  const color = (values: string[]) => [{ name: "Color", values }];
  const fixtures: ProductFixture[] = [
    {
      title: "iPhone 15 Pro",
      description: "The gadget everyone wants",
      categoryId: phones,
      tags: ["apple", "phone"],
      options: color(["Black", "Blue"]),
      variants: [
        { price: 99_900, options: { Color: "Black" }, onHand: 5 },
        { price: 109_900, options: { Color: "Blue" }, onHand: 0 },
      ],
      collectionIds: [sale],
    },
    {
      title: "Leather Case",
      description: "A gadget that fits the iPhone 15 Pro",
      categoryId: accessories,
      tags: ["apple", "case"],
      variants: [{ price: 2999, onHand: 0 }],
    },
    {
      title: "Galaxy S24",
      description: "An android gadget",
      categoryId: phones,
      tags: ["android", "phone"],
      options: color(["BLACK"]),
      variants: [{ price: 79_900, options: { Color: "BLACK" }, onHand: 3 }],
    },
    {
      title: "Sony Headphones",
      description: "A quiet gadget",
      categoryId: audio,
      tags: ["audio"],
      options: color(["Black", "White"]),
      variants: [
        { price: 19_900, options: { Color: "Black" }, onHand: 1 },
        { price: 24_900, options: { Color: "White" }, onHand: 1 },
      ],
      collectionIds: [sale],
    },
    // Its range (999-1000) sits on the first two buckets' edge.
    {
      title: "Phone Charger",
      description: "A small gadget",
      categoryId: accessories,
      tags: ["charger"],
      options: [{ name: "Watts", values: ["20", "65"] }],
      variants: [
        { price: 999, options: { Watts: "20" } },
        { price: 1000, options: { Watts: "65" } },
      ],
    },
    // Straddles 1000-2000 with no variant inside it; no category.
    {
      title: "Travel Adapter",
      description: "A gadget for trips",
      options: [{ name: "Plug", values: ["EU", "US"] }],
      variants: [
        { price: 500, options: { Plug: "EU" } },
        { price: 3000, options: { Plug: "US" } },
      ],
    },
  ];
  const made: MadeProduct[] = [];
  for (const fixture of fixtures) made.push(await makeProduct(t, fixture));
  const ancestors = new Map([
    [phones, [electronics, phones]],
    [audio, [electronics, audio]],
    [accessories, [electronics, accessories]],
  ]);
  const products = fixtures.map((f, i) => ({
    id: made[i]?.id ?? "",
    title: f.title,
    categoryPath: f.categoryId ? (ancestors.get(f.categoryId) ?? []) : [],
    collectionIds: f.collectionIds ?? [],
    tags: f.tags ?? [],
    prices: (f.variants ?? []).map((v) => v.price),
    inStock: (f.variants ?? []).some((v) => (v.onHand ?? 10) > 0),
    optionValues: (f.variants ?? []).flatMap((v) =>
      Object.entries(v.options ?? {}).map(([k, val]) => `${k}=${val}`.toLowerCase()),
    ),
  }));
  const hiddenFixture = { description: "gadget", categoryId: phones, tags: ["apple", "phone"], collectionIds: [sale] };
  const draft = await makeProduct(t, { ...hiddenFixture, title: "iPhone 14 Pro Galaxy", status: "draft" });
  const archived = await makeProduct(t, { ...hiddenFixture, title: "iPhone 13 Galaxy", status: "archived" });
  return {
    categories: { electronics, phones, audio, accessories },
    sale,
    products,
    hidden: { draft: draft.id, archived: archived.id },
  };
}

/** What the list filters select, as domain.md and api.md say, computed without the database. */
export function selects(p: StoreProduct, f: ProductFilters): boolean {
  const min = f.minPrice ?? 0;
  const max = f.maxPrice ?? Number.MAX_SAFE_INTEGER;
  return (
    (f.categoryId === undefined || p.categoryPath.includes(f.categoryId)) &&
    (f.collectionId === undefined || p.collectionIds.includes(f.collectionId)) &&
    (f.tag === undefined || p.tags.includes(f.tag)) &&
    (f.inStock === undefined || p.inStock === f.inStock) &&
    ((f.minPrice === undefined && f.maxPrice === undefined) ||
      p.prices.some((price) => price >= min && price <= max)) &&
    Object.entries(f.options ?? {}).every(([name, value]) => p.optionValues.includes(`${name}=${value}`.toLowerCase()))
  );
}

let shoppers = 0;
/**
 * Headers of a new anonymous shopper (a client address of its own): searches are
 * limited per caller (120 a minute), and a property test makes more than that.
 */
export const newShopper = (): Record<string, string> => {
  shoppers += 1;
  return { "x-forwarded-for": `10.77.${Math.floor(shoppers / 250)}.${shoppers % 250}` };
};
