import { expect } from "bun:test";
import type { TRPCClient } from "@trpc/client";
import type { RestClient } from "../../../../tests/harness";
import type { AppRouter } from "../../../trpc/router";
import type { ProductSort } from "../storefront-schemas";

// What the storefront list should answer, computed in the test from the fixture itself, and walkers
// that read every page of a list over each transport.

export interface ModelProduct {
  id: string;
  title: string;
  description?: string;
  status: "draft" | "active" | "archived";
  createdAt: Date;
  /** The product's category and its ancestors. */
  categoryPath: string[];
  collectionIds: string[];
  tags: string[];
  variants: { price: number; onHand: number; options: Record<string, string> }[];
}

export interface Filters {
  categoryId?: string;
  collectionId?: string;
  tag?: string;
  q?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  options?: Record<string, string>;
}

type Key = [(p: ModelProduct) => string | number, 1 | -1];

const orderBy =
  (...keys: Key[]) =>
  (a: ModelProduct, b: ModelProduct) => {
    for (const [key, direction] of keys) {
      const [x, y] = [key(a), key(b)];
      if (x !== y) return (x < y ? -1 : 1) * direction;
    }
    return 0;
  };

const minPrice = (p: ModelProduct) => Math.min(...p.variants.map((v) => v.price));
const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

function matches(p: ModelProduct, f: Filters): boolean {
  if (p.status !== "active") return false;
  if (f.categoryId && !p.categoryPath.includes(f.categoryId)) return false;
  if (f.collectionId && !p.collectionIds.includes(f.collectionId)) return false;
  if (f.tag !== undefined && !p.tags.includes(f.tag)) return false;
  const min = f.minPrice ?? 0;
  const max = f.maxPrice ?? Number.MAX_SAFE_INTEGER;
  if (!p.variants.some((v) => v.price >= min && v.price <= max)) return false;
  if (f.inStock !== undefined && p.variants.some((v) => v.onHand > 0) !== f.inStock) return false;
  for (const [name, value] of Object.entries(f.options ?? {})) {
    const wanted = `${name}=${value}`.toLowerCase();
    const has = p.variants.some((v) =>
      Object.entries(v.options).some(([n, val]) => `${n}=${val}`.toLowerCase() === wanted),
    );
    if (!has) return false;
  }
  if (f.q) {
    const own = words(`${p.title} ${p.description ?? ""}`);
    if (!words(f.q).every((w) => own.some((o) => o.startsWith(w)))) return false;
  }
  return true;
}

const id = (p: ModelProduct) => p.id;
const created = (p: ModelProduct) => p.createdAt.getTime();
const title = (p: ModelProduct) => p.title;

// Each sort ends on the id, in the sort's direction.
const ORDERS: Record<ProductSort, (a: ModelProduct, b: ModelProduct) => number> = {
  newest: orderBy([created, -1], [id, -1]),
  price_asc: orderBy([minPrice, 1], [id, 1]),
  price_desc: orderBy([minPrice, -1], [id, -1]),
  title: orderBy([title, 1], [id, 1]),
};

/** The ids the list must answer, in order. */
export const expectedIds = (products: ModelProduct[], f: Filters, sort: ProductSort): string[] =>
  products
    .filter((p) => matches(p, f))
    .sort(ORDERS[sort])
    .map(id);

/** The REST query string of these filters: options as `option.<name>` parameters. */
export function restQuery(f: Filters, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (k === "options") for (const [name, value] of Object.entries(v as object)) params.set(`option.${name}`, value);
    else if (v !== undefined) params.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  return params.toString();
}

const MAX_PAGES = 200;

/** Every page of a REST list, in order; each page at most `limit` long and no page empty but a lone first. */
export async function walkRest(rest: RestClient, f: Filters, sort: ProductSort, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const res = await rest.get(`/api/v1/products?${restQuery(f, { sort, limit, ...(cursor && { cursor }) })}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return ids;
    expect(res.body.items.length).toBe(limit);
  }
  throw new Error("the list never ended");
}

export async function walkTrpc(
  trpc: TRPCClient<AppRouter>,
  f: Filters,
  sort: ProductSort,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await trpc.catalog.products.list.query({ ...f, sort, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor ?? undefined;
    if (!cursor) return ids;
    expect(page.items.length).toBe(limit);
  }
  throw new Error("the list never ended");
}
