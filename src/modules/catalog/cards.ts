import { inArray, sql } from "drizzle-orm";
import { products } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { STORE_CURRENCY } from "./currency";
import type { ProductCard } from "./schemas";

/** The columns a card is read from: the product's listing, so a page of cards is one statement. */
export const cardColumns = {
  id: products.id,
  slug: products.slug,
  title: products.title,
  imageUrl: products.imageUrl,
  imageAlt: products.imageAlt,
  minPrice: products.minPrice,
  maxPrice: products.maxPrice,
  compareAtPrice: products.compareAtPrice,
  inStock: products.inStock,
  createdAt: sql<string>`to_char(${products.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

export type CardRow = {
  id: string;
  slug: string;
  title: string;
  imageUrl: string | null;
  imageAlt: string | null;
  minPrice: number;
  maxPrice: number;
  compareAtPrice: number | null;
  inStock: boolean;
  createdAt: string;
};

export const toCard = (row: CardRow): ProductCard => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  image: row.imageUrl === null ? null : { url: row.imageUrl, alt: row.imageAlt ?? "" },
  price: { min: row.minPrice, max: row.maxPrice, compareAt: row.compareAtPrice, currency: STORE_CURRENCY },
  inStock: row.inStock,
  createdAt: row.createdAt,
});

/** Cards of these active products in the order given (a search engine's rank); missing or hidden ones are left out. */
export async function cardsByIds(ctx: Ctx, ids: readonly string[]): Promise<ProductCard[]> {
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select(cardColumns)
    .from(products)
    .where(sql`${inArray(products.id, [...ids])} and ${products.status} = 'active'`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toCard(row)] : [];
  });
}
