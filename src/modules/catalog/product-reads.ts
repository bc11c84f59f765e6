import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { PREPARED } from "../../db/client";
import { products } from "../../db/schema";
import type { ProductFilters } from "../../lib/catalog-search";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { isoText } from "../../lib/sql-iso";
import { CATEGORIES_TAG, COLLECTIONS_TAG, PRODUCT_LISTS_TAG, productTag } from "./cache-tags";
import { cardColumns, toCard } from "./cards";
import { STORE_CURRENCY } from "./currency";
import { decodeProductCursor, encodeProductCursor, filterDigest, type ProductSortKey } from "./product-cursor";
import { productFilterSql } from "./product-filters";
import {
  GetProductInput,
  ListProductsInput,
  OPTION_PARAM_PREFIX,
  type ProductPage,
  type ProductSort,
  type StorefrontProduct,
} from "./storefront-schemas";

/** A list's filters in one spelling: equal filters give equal cache keys and cursor digests. */
interface CanonicalFilters extends ProductFilters {
  /** The words of `q`, lower case, in order. */
  words?: string[];
}

const MAX_WORDS = 10;

/**
 * One page of active products as cards, filtered and sorted: one SQL statement (limit + 1 rows over
 * the listing columns, never a count), cached until any product list changes.
 */
export async function listProducts(
  ctx: Ctx,
  raw: z.input<typeof ListProductsInput> | Record<string, unknown>,
): Promise<ProductPage> {
  const input = ListProductsInput.parse(foldOptionParams(raw));
  const filters = canonicalFilters(input);
  const canonical = JSON.stringify(filters);
  const digest = filterDigest(canonical);
  // Before the cache: a bad cursor is a 400 whether or not its page was ever cached.
  const from = input.cursor === undefined ? undefined : decodeProductCursor(input.cursor, input.sort, digest);
  const key = `catalog:products:${input.sort}:${input.limit}:${canonical}:${input.cursor ?? ""}`;
  return ctx.cache.wrap(key, { tags: [PRODUCT_LISTS_TAG] }, async () => {
    const order = SORTS[input.sort];
    const rows = await ctx.db
      .select({ ...cardColumns, sortKey: order.key })
      .from(products)
      .where(sql.join([...productFilterSql(filters), ...wordsSql(filters.words), ...afterSql(order, from)], sql` and `))
      .orderBy(...order.by)
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    return {
      items: items.map(toCard),
      nextCursor:
        rows.length > input.limit && last ? encodeProductCursor(input.sort, digest, last.sortKey, last.id) : null,
    };
  });
}

/** REST sends each option filter as an `option.<name>` parameter: they join `options`, as tRPC sends them. */
export function foldOptionParams(raw: Record<string, unknown>): Record<string, unknown> {
  const isOption = (key: string) => key.startsWith(OPTION_PARAM_PREFIX);
  if (!Object.keys(raw).some(isOption)) return raw;
  const entries = Object.entries(raw);
  // fromEntries, not assignment: an `option.__proto__` parameter stays a plain key.
  const options = Object.fromEntries([
    ...Object.entries((raw.options as object | undefined) ?? {}),
    ...entries.filter(([k]) => isOption(k)).map(([k, v]) => [k.slice(OPTION_PARAM_PREFIX.length), v]),
  ]);
  return { ...Object.fromEntries(entries.filter(([k]) => !isOption(k))), options };
}

function canonicalFilters(input: ListProductsInput): CanonicalFilters {
  const words = (input.q ?? "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  const options = Object.entries(input.options ?? {})
    .map(([name, value]) => [name.toLowerCase(), value.toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Fixed key order and no undefined keys: JSON.stringify of this is the list's identity.
  const filters: CanonicalFilters = {};
  if (input.categoryId) filters.categoryId = input.categoryId.toLowerCase();
  if (input.collectionId) filters.collectionId = input.collectionId.toLowerCase();
  if (input.tag !== undefined) filters.tag = input.tag;
  if (input.minPrice !== undefined) filters.minPrice = input.minPrice;
  if (input.maxPrice !== undefined) filters.maxPrice = input.maxPrice;
  if (input.inStock !== undefined) filters.inStock = input.inStock;
  if (options.length > 0) filters.options = Object.fromEntries(options);
  if (words.length > 0) filters.words = words;
  return filters;
}

/**
 * Every word must start a word of the title or description (a prefix match, so "lin shi" finds
 * "Linen shirt"). Words hold only letters and digits, so quoting them keeps tsquery syntax out.
 */
function wordsSql(words: string[] | undefined): SQL[] {
  if (!words) return [];
  const query = words.map((w) => `'${w}':*`).join(" & ");
  return [sql`${products.searchVector} @@ to_tsquery('simple', ${query})`];
}

interface Order {
  /** The value a cursor keeps: what the list is sorted on. */
  key: SQL<ProductSortKey>;
  by: SQL[];
  /** Rows after the cursor's. */
  after: (key: ProductSortKey, id: string) => SQL;
}

// Each order ends on the id, so ties in the sort key still have one order and no page repeats or
// skips a row; each is served by an index over active products (db/schema/catalog.ts).
const SORTS: Record<ProductSort, Order> = {
  newest: {
    key: sql<string>`to_char(${products.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    // NULLS LAST as drizzle writes the index (both columns are not null): Postgres' default for desc,
    // NULLS FIRST, would not match it and every page would sort the whole table.
    by: [sql`${products.createdAt} desc nulls last`, sql`${products.id} desc nulls last`],
    after: (key, id) => sql`(${products.createdAt}, ${products.id}) < (${key}::timestamptz, ${id}::uuid)`,
  },
  price_asc: {
    key: sql<number>`${products.minPrice}`,
    by: [sql`${products.minPrice} asc`, sql`${products.id} asc`],
    after: (key, id) => sql`(${products.minPrice}, ${products.id}) > (${key}::int, ${id}::uuid)`,
  },
  price_desc: {
    key: sql<number>`${products.minPrice}`,
    by: [sql`${products.minPrice} desc`, sql`${products.id} desc`],
    after: (key, id) => sql`(${products.minPrice}, ${products.id}) < (${key}::int, ${id}::uuid)`,
  },
  title: {
    key: sql<string>`${products.title}`,
    by: [sql`${products.title} asc`, sql`${products.id} asc`],
    after: (key, id) => sql`(${products.title}, ${products.id}) > (${key}::text, ${id}::uuid)`,
  },
};

const afterSql = (order: Order, from: { key: ProductSortKey; id: string } | undefined): SQL[] =>
  from ? [order.after(from.key, from.id)] : [];

/**
 * One active product by id or slug, as its page shows it. Cached per product until it, a category
 * (the breadcrumb's names) or a collection changes; a slug is first resolved to the id.
 */
export async function getProduct(ctx: Ctx, raw: z.input<typeof GetProductInput>): Promise<StorefrontProduct> {
  const { idOrSlug } = GetProductInput.parse(raw);
  const id = isUuid(idOrSlug) ? idOrSlug.toLowerCase() : await idOfSlug(ctx, idOrSlug);
  const product =
    id === null
      ? null
      : await ctx.cache.wrap(`catalog:product:${id}`, { tags: [productTag(id), CATEGORIES_TAG, COLLECTIONS_TAG] }, () =>
          readProduct(ctx, id),
        );
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  return product;
}

/**
 * The active product with this slug. Anything that gives a slug, takes it away or hides its
 * product is a product change that also invalidates the product lists, so their tag keeps this fresh.
 */
function idOfSlug(ctx: Ctx, slug: string): Promise<string | null> {
  return ctx.cache.wrap(`catalog:product-slug:${slug}`, { tags: [PRODUCT_LISTS_TAG] }, async () => {
    const rows = await ctx.db.execute<{ id: string }>(
      sql`${PREPARED}select id from products where slug = ${slug} and status = 'active'`,
    );
    return rows[0]?.id ?? null;
  });
}

interface ProductRow extends Record<string, unknown> {
  id: string;
  slug: string;
  title: string;
  description: string;
  attributes: Record<string, unknown>;
  tags: string[];
  minPrice: number;
  maxPrice: number;
  compareAtPrice: number | null;
  inStock: boolean;
  createdAt: string;
  updatedAt: string;
  breadcrumb: StorefrontProduct["breadcrumb"];
  options: StorefrontProduct["options"];
  variants: StorefrontProduct["variants"];
  images: StorefrontProduct["images"];
  collections: StorefrontProduct["collections"];
}

/** The product page in one statement: the product, with its parts aggregated beside it. */
async function readProduct(ctx: Ctx, id: string): Promise<StorefrontProduct | null> {
  const rows = await ctx.db.execute<ProductRow>(sql`${PREPARED}
    select
      p.id, p.slug, p.title, p.description, p.attributes, p.tags,
      p.min_price as "minPrice", p.max_price as "maxPrice", p.compare_at_price as "compareAtPrice",
      p.in_stock as "inStock", ${isoText(sql`p.created_at`)} as "createdAt", ${isoText(sql`p.updated_at`)} as "updatedAt",
      coalesce((
        with recursive up as (
          select c.id, c.parent_id, c.name, c.slug, 0 as depth from categories c where c.id = p.category_id
          union all
          select c.id, c.parent_id, c.name, c.slug, up.depth + 1 from categories c join up on c.id = up.parent_id
        )
        select json_agg(json_build_object('id', up.id, 'name', up.name, 'slug', up.slug) order by up.depth desc) from up
      ), '[]'::json) as breadcrumb,
      coalesce((
        select json_agg(json_build_object('id', o.id, 'name', o.name, 'position', o.position, 'values', o.values)
                        order by o.position, o.id)
        from product_options o where o.product_id = p.id
      ), '[]'::json) as options,
      coalesce((
        select json_agg(json_build_object(
          'id', v.id, 'sku', v.sku, 'title', v.title, 'price', v.price, 'compareAtPrice', v.compare_at_price,
          'options', v.options, 'weightGrams', v.weight_grams, 'position', v.position,
          'available', greatest(coalesce(l.on_hand - l.reserved, 0), 0),
          'inStock', coalesce(l.on_hand > l.reserved, false)
        ) order by v.position, v.id)
        from variants v left join inventory_levels l on l.variant_id = v.id
        where v.product_id = p.id
      ), '[]'::json) as variants,
      coalesce((
        select json_agg(json_build_object('id', i.id, 'url', i.url, 'alt', i.alt, 'position', i.position)
                        order by i.position, i.id)
        from product_images i where i.product_id = p.id
      ), '[]'::json) as images,
      coalesce((
        select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'title', c.title)
                        order by c.position, c.title, c.id)
        from collection_products cp join collections c on c.id = cp.collection_id
        where cp.product_id = p.id
      ), '[]'::json) as collections
    from products p
    where p.id = ${id}::uuid and p.status = 'active'`);
  const row = rows[0];
  if (!row) return null;
  const { minPrice, maxPrice, compareAtPrice, ...rest } = row;
  return {
    ...rest,
    category: row.breadcrumb.at(-1) ?? null,
    price: { min: minPrice, max: maxPrice, compareAt: compareAtPrice, currency: STORE_CURRENCY },
  };
}
