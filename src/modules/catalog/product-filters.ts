import { type SQL, sql } from "drizzle-orm";
import { products } from "../../db/schema";
import type { ProductFilters } from "../../lib/catalog-search";

/**
 * The list filters as conditions on `products`, over its listing columns and
 * their indexes; shared by the product list and the Postgres search adapter,
 * so both select exactly the same products. Shoppers only ever see active ones.
 */
export function productFilterSql(filters: ProductFilters): SQL[] {
  const where: SQL[] = [sql`${products.status} = 'active'`];
  if (filters.categoryId) where.push(sql`${products.categoryPath} @> array[${filters.categoryId}]::uuid[]`);
  if (filters.collectionId) where.push(sql`${products.collectionIds} @> array[${filters.collectionId}]::uuid[]`);
  if (filters.tag !== undefined) where.push(sql`${products.tags} @> array[${filters.tag}]::text[]`);
  // The listing keeps `name=value` in lower case, so any case matches (`option.size=M` finds `Size: m`).
  const options = Object.entries(filters.options ?? {}).map(([name, value]) => `${name}=${value}`.toLowerCase());
  if (options.length > 0) where.push(sql`${products.optionValues} @> ${sql.param(options)}::text[]`);
  if (filters.inStock !== undefined) where.push(sql`${products.inStock} = ${filters.inStock}`);
  if (filters.minPrice !== undefined || filters.maxPrice !== undefined) {
    // Inclusive, on any variant's price (api.md): the listing's range rules out most rows on its index,
    // the variants decide for a product whose range straddles the bounds.
    const min = filters.minPrice ?? 0;
    const max = filters.maxPrice ?? 2_147_483_647;
    where.push(sql`${products.maxPrice} >= ${min} and ${products.minPrice} <= ${max}`);
    where.push(
      sql`exists (select 1 from variants v where v.product_id = ${products.id} and v.price between ${min} and ${max})`,
    );
  }
  return where;
}
