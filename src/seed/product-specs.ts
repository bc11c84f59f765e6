import type { ProductStatus } from "../db/schema";
import { slugify } from "../lib/slug";
import { DEMO_CATEGORIES } from "./categories";
import type { CollectionSlug } from "./collections";
import { Random } from "./random";
import { ADJECTIVES, type CategoryVocabulary, ORIGINS, PHRASES, TAGS, VOCABULARY } from "./vocabulary";

/** The fixed seed of the demo catalog: change it and every product changes. */
export const CATALOG_SEED = 20261201;

export interface VariantSpec {
  sku: string;
  title: string;
  price: number;
  compareAtPrice: number | null;
  weightGrams: number;
  options: Record<string, string>;
  onHand: number;
  lowStockThreshold: number;
  metadata: Record<string, string>;
}

export interface ProductSpec {
  slug: string;
  title: string;
  description: string;
  status: ProductStatus;
  categorySlug: string;
  tags: string[];
  metadata: Record<string, string>;
  createdAt: Date;
  options: { name: string; values: string[] }[];
  variants: VariantSpec[];
  images: { url: string; alt: string }[];
  collections: CollectionSlug[];
}

// Relative odds of 1..6 variants: about 4 on average, so 250,000 products make about 1,000,000 variants.
const VARIANT_COUNT_WEIGHTS = [10, 10, 15, 20, 20, 25];
const ORIGIN_TIME = Date.UTC(2025, 0, 1);

/** Every category slug with the leaf slugs whose words its products use. */
const CATEGORY_WORDS: { slug: string; leaves: string[] }[] = (() => {
  const out: { slug: string; leaves: string[] }[] = [];
  const walk = (nodes: typeof DEMO_CATEGORIES): string[] =>
    nodes.flatMap((node) => {
      const slug = node.slug ?? slugify(node.name);
      const below = walk(node.children ?? []);
      const leaves = VOCABULARY[slug] ? [slug, ...below] : below;
      out.push({ slug, leaves });
      return leaves;
    });
  walk(DEMO_CATEGORIES);
  return out;
})();
const LEAVES = CATEGORY_WORDS.filter((c) => VOCABULARY[c.slug]);

/** Product `index` (0-based) of the catalog: the same spec for the same seed and index, whatever the catalog's size. */
export function productSpec(index: number, seed = CATALOG_SEED): ProductSpec {
  const rnd = Random.for(seed, index);
  // One in ten products sits in a parent category (a shopper filtering by it must still find the rest).
  const category = rnd.chance(0.1) ? rnd.pick(CATEGORY_WORDS) : rnd.pick(LEAVES);
  const leaf = rnd.pick(category.leaves);
  const words = VOCABULARY[leaf] as CategoryVocabulary;
  const n = index + 1;
  const adjective = rnd.pick(ADJECTIVES);
  const material = rnd.pick(words.materials);
  const noun = rnd.pick(words.nouns);
  const name = `${adjective} ${material} ${noun}`;
  // The demo's first thousand read as a shop; beyond that titles carry their number so search results stay distinct.
  const title = index < 1000 ? name : `${name} ${n}`;
  const slug = `${slugify(name)}-${n}`;
  const origin = rnd.pick(ORIGINS);

  const statusDraw = rnd.next();
  const status: ProductStatus = statusDraw < 0.03 ? "draft" : statusDraw < 0.05 ? "archived" : "active";
  const onSale = rnd.chance(0.2);
  const soldOut = rnd.chance(0.05);
  const { options, combos } = chooseOptions(rnd, words, rnd.weighted(VARIANT_COUNT_WEIGHTS) + 1);
  const base = basePrice(rnd, words.price);
  const threshold = rnd.pick([3, 5, 5, 10]);
  const variants = combos.map((combo, i): VariantSpec => {
    const price = base + priceSteps(words, combo);
    return {
      sku: `CW-${String(n).padStart(6, "0")}-${i + 1}`,
      title: Object.values(combo).join(" / ") || title,
      price,
      compareAtPrice: onSale ? roundPrice(price * (1.15 + rnd.next() * 0.35)) : null,
      weightGrams: rnd.int(words.grams[0], words.grams[1]),
      options: combo,
      onHand: soldOut ? 0 : stockLevel(rnd, threshold),
      lowStockThreshold: threshold,
      metadata: rnd.chance(0.5) ? { barcode: barcode(n, i) } : {},
    };
  });

  const tags = new Set(rnd.sample(TAGS, rnd.int(0, 3)));
  if (onSale) tags.add("sale");
  const minPrice = Math.min(...variants.map((v) => v.price));
  return {
    slug,
    title,
    description: `${rnd.pick(PHRASES.opening)} ${material} ${noun.toLowerCase()}, made in ${origin}. ${rnd.pick(PHRASES.care)}`,
    status,
    categorySlug: category.slug,
    tags: [...tags].sort(),
    metadata: { origin, supplier: `SUP-${rnd.int(100, 999)}` },
    createdAt: new Date(ORIGIN_TIME + index * 60_000 + rnd.int(0, 59_999)),
    options,
    variants,
    images: Array.from({ length: rnd.weighted([2, 40, 30, 20, 8]) }, (_, i) => ({
      url: `https://picsum.photos/seed/${i === 0 ? slug : `${slug}-${i + 1}`}/800/800`,
      alt: i === 0 ? title : `${title}, view ${i + 1}`,
    })),
    collections: collectionsOf(rnd, { tags, onSale, minPrice, leaf }),
  };
}

/** Options with the values `count` variants use, and those variants' combinations (all distinct). */
function chooseOptions(
  rnd: Random,
  words: CategoryVocabulary,
  count: number,
): { options: ProductSpec["options"]; combos: Record<string, string>[] } {
  const [first, second] = words.options;
  if (!first || (count === 1 && rnd.chance(0.5))) return { options: [], combos: [{}] };
  const two = second !== undefined && (count > first.values.length || (count > 1 && rnd.chance(0.4)));
  let sizes = [Math.min(count, first.values.length)];
  if (two && second) {
    const c1 = rnd.int(1, Math.min(second.values.length, count));
    const c0 = Math.min(first.values.length, Math.ceil(count / c1));
    sizes = [c0, Math.ceil(count / c0)];
  }
  const templates = two && second ? [first, second] : [first];
  // Sizes come as a run (S to L), colours as any few.
  const valueSets = templates.map((t, i) => {
    const size = sizes[i] ?? 1;
    if (t.priceStep !== undefined || t.name === "Size") {
      const start = rnd.int(0, t.values.length - size);
      return t.values.slice(start, start + size);
    }
    return rnd.sample(t.values, size);
  });
  let combos: Record<string, string>[] = [{}];
  for (const [i, t] of templates.entries()) {
    combos = combos.flatMap((c) => (valueSets[i] ?? []).map((v) => ({ ...c, [t.name]: v })));
  }
  combos = rnd.sample(combos, count);
  const options = templates.map((t) => ({
    name: t.name,
    values: t.values.filter((v) => combos.some((c) => c[t.name] === v)),
  }));
  return { options, combos };
}

/** Cents ending in .99, spread towards the middle of the range. */
function basePrice(rnd: Random, [lo, hi]: readonly [number, number]): number {
  return roundPrice(lo * (hi / lo) ** ((rnd.next() + rnd.next()) / 2));
}

const roundPrice = (cents: number) => Math.max(99, Math.round(cents / 100) * 100 - 1);

/** The surcharge of a combination: one price step per position along a stepped option (a bigger size). */
function priceSteps(words: CategoryVocabulary, combo: Record<string, string>): number {
  return words.options.reduce((sum, t) => {
    const value = combo[t.name];
    return sum + (t.priceStep && value ? t.priceStep * t.values.indexOf(value) : 0);
  }, 0);
}

/** Mostly plenty, some at or under the threshold, a few at zero. */
function stockLevel(rnd: Random, threshold: number): number {
  const draw = rnd.next();
  if (draw < 0.06) return 0;
  if (draw < 0.18) return rnd.int(1, threshold);
  return rnd.int(threshold + 1, 250);
}

/** An EAN-13 shaped number with a valid check digit, unique per variant. */
function barcode(n: number, i: number): string {
  const body = `200${String(n).padStart(7, "0")}${String(i + 1).padStart(2, "0")}`;
  const sum = [...body].reduce((s, d, k) => s + Number(d) * (k % 2 ? 3 : 1), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

function collectionsOf(
  rnd: Random,
  p: { tags: Set<string>; onSale: boolean; minPrice: number; leaf: string },
): CollectionSlug[] {
  const out: CollectionSlug[] = [];
  if (p.tags.has("new") || rnd.chance(0.03)) out.push("new-arrivals");
  if (p.tags.has("bestseller")) out.push("best-sellers");
  if (p.onSale && rnd.chance(0.6)) out.push("summer-sale");
  if (p.tags.has("gift")) out.push("gift-ideas");
  if (p.tags.has("eco") || p.tags.has("vegan")) out.push("eco-picks");
  if (p.tags.has("staff-pick")) out.push("staff-favourites");
  if (p.minPrice < 2500 && rnd.chance(0.5)) out.push("under-25");
  if (["rain-jackets", "jackets", "boots", "bags"].includes(p.leaf) && rnd.chance(0.3)) out.push("outdoor-essentials");
  return out;
}
