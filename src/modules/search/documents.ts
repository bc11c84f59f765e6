import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { SearchDocument } from "../../lib/catalog-search";

interface DocumentRow extends Record<string, unknown> {
  id: string;
  slug: string;
  title: string;
  description: string;
  status: string;
  tags: string[];
  category_path: string[];
  collection_ids: string[];
  option_values: string[];
  variant_prices: number[];
  min_price: number;
  max_price: number;
  in_stock: boolean;
  created_at: number;
}

/** The products' listing columns plus every variant's price, in one statement: what an engine indexes. */
const documentRows = (where: SQL, tail: SQL = sql``) => sql`
  select p.id, p.slug, p.title, p.description, p.status, p.tags, p.category_path, p.collection_ids,
         p.option_values, p.min_price, p.max_price, p.in_stock,
         extract(epoch from p.created_at)::bigint as created_at,
         array(select v.price from variants v where v.product_id = p.id order by v.price) as variant_prices
  from products p
  where ${where}
  ${tail}`;

const toDocument = (r: DocumentRow): SearchDocument => ({
  id: r.id,
  slug: r.slug,
  title: r.title,
  description: r.description,
  tags: r.tags,
  categoryPath: r.category_path,
  collectionIds: r.collection_ids,
  optionValues: r.option_values,
  variantPrices: r.variant_prices.map(Number),
  minPrice: r.min_price,
  maxPrice: r.max_price,
  inStock: r.in_stock,
  createdAt: Number(r.created_at),
});

/**
 * What the index must hold for these products: the active ones as documents,
 * every other id (draft, archived, deleted) as removed (issue 14: drafts never appear).
 */
export async function loadDocuments(
  db: Db,
  productIds: readonly string[],
): Promise<{ upserted: SearchDocument[]; removed: string[] }> {
  if (productIds.length === 0) return { upserted: [], removed: [] };
  const rows = await db.execute<DocumentRow>(documentRows(sql`p.id = any(${sql.param([...productIds])}::uuid[])`));
  const active = rows.filter((r) => r.status === "active");
  const indexed = new Set(active.map((r) => r.id));
  return { upserted: active.map(toDocument), removed: productIds.filter((id) => !indexed.has(id)) };
}

/** One batch of every active product in id order after `afterId`: a reindex walks the catalog with it. */
export async function activeDocumentsAfter(db: Db, afterId: string | null, limit: number): Promise<SearchDocument[]> {
  const after = afterId === null ? sql`true` : sql`p.id > ${afterId}::uuid`;
  const rows = await db.execute<DocumentRow>(
    documentRows(sql`p.status = 'active' and ${after}`, sql`order by p.id limit ${limit}`),
  );
  return rows.map(toDocument);
}

/** How many products a full reindex will send: for its progress bar. */
export async function countActiveProducts(db: Db): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from products where status = 'active'`);
  return row?.n ?? 0;
}
