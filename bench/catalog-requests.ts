import { resolve } from "node:path";
import { Random } from "../src/seed/random";
import type { CatalogSample } from "./prepare-catalog";

// The request mixes of the catalog targets, drawn from the seeded catalog
// (bench/prepare-catalog.ts) and handed to the wrk scripts in bench/lua as Lua tables.

const SORTS = ["newest", "price_asc", "price_desc", "title"] as const;
const LISTS = 2000;
const SEARCHES = 2000;
const BENCH_SEED = 14;

const enc = encodeURIComponent;

/** List paths with a sort and zero to three real filters; the Lua script adds a random price bound per request. */
export function filteredListPaths(sample: CatalogSample): string[] {
  const rnd = new Random(BENCH_SEED);
  return Array.from({ length: LISTS }, () => {
    const q = [`limit=20`, `sort=${rnd.pick(SORTS)}`];
    if (sample.categoryIds.length && rnd.chance(0.5)) q.push(`categoryId=${rnd.pick(sample.categoryIds)}`);
    if (sample.collectionIds.length && rnd.chance(0.2)) q.push(`collectionId=${rnd.pick(sample.collectionIds)}`);
    if (sample.tags.length && rnd.chance(0.2)) q.push(`tag=${enc(rnd.pick(sample.tags))}`);
    if (sample.options.length && rnd.chance(0.3)) {
      const [name, value] = rnd.pick(sample.options);
      q.push(`option.${enc(name)}=${enc(value)}`);
    }
    if (rnd.chance(0.3)) q.push("inStock=true");
    return `/api/v1/products?${q.join("&")}`;
  });
}

export const detailPaths = (sample: CatalogSample): string[] =>
  sample.slugs.map((slug) => `/api/v1/products/${enc(slug)}`);

/** Search paths for title words with one typo each: two letters swapped or one dropped (never the first). */
export function typoSearchPaths(sample: CatalogSample): string[] {
  const rnd = new Random(BENCH_SEED + 1);
  if (sample.words.length === 0) return [];
  return Array.from({ length: SEARCHES }, () => `/api/v1/search/products?q=${enc(typo(rnd, rnd.pick(sample.words)))}`);
}

export function typo(rnd: Random, word: string): string {
  const i = rnd.int(1, word.length - 2);
  if (rnd.chance(0.5)) return word.slice(0, i) + word.slice(i + 1);
  return word.slice(0, i) + (word[i + 1] ?? "") + (word[i] ?? "") + word.slice(i + 2);
}

/** A Lua chunk returning `data` (strings, numbers and lists of strings only), for the scripts' `dofile`. */
export function luaTable(data: Record<string, string[] | number>): string {
  const value = (v: string[] | number) =>
    typeof v === "number" ? String(v) : `{\n${v.map((s) => `  ${JSON.stringify(s)},`).join("\n")}\n}`;
  return `return {\n${Object.entries(data)
    .map(([k, v]) => `${k} = ${value(v)},`)
    .join("\n")}\n}\n`;
}

export const LUA_DIR = resolve(import.meta.dir, "lua");
