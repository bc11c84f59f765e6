import { asc, eq, inArray, or } from "drizzle-orm";
import { categories, inventoryLevels, productImages, productOptions, products, variants } from "../../db/schema";
import type { TxCtx } from "../../lib/transaction";

export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
export type LevelRow = typeof inventoryLevels.$inferSelect;

/** What the catalog holds of an import's products and SKUs, locked until its transaction ends. */
export interface ImportState {
  categoryIds: Map<string, string>;
  products: Map<string, ProductRow>;
  /** Every variant of the products named, and every SKU named wherever it lives. */
  variants: VariantRow[];
  /** The slug of each variant's product, by variant id. */
  ownerSlugs: Map<string, string>;
  levels: Map<string, LevelRow>;
  options: Map<string, { name: string; values: string[] }[]>;
  images: Map<string, { url: string; alt: string }[]>;
}

/**
 * Reads (and locks: two imports of one product wait for each other, and a checkout cannot reserve
 * stock between the check against `reserved` and the write) the rows an import may change.
 */
export async function loadImportStateInTx(
  tx: TxCtx,
  slugs: string[],
  skus: string[],
  categorySlugs: string[],
): Promise<ImportState> {
  const [found, cats] = await Promise.all([
    tx.db.select().from(products).where(inArray(products.slug, slugs)).orderBy(asc(products.id)).for("update"),
    categorySlugs.length === 0
      ? []
      : tx.db
          .select({ id: categories.id, slug: categories.slug })
          .from(categories)
          .where(inArray(categories.slug, categorySlugs)),
  ]);
  const productIds = found.map((p) => p.id);
  const variantRows = await tx.db
    .select({ variant: variants, productSlug: products.slug })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(
      productIds.length > 0
        ? or(inArray(variants.sku, skus), inArray(variants.productId, productIds))
        : inArray(variants.sku, skus),
    )
    .orderBy(asc(variants.id))
    .for("update", { of: variants });
  const variantIds = variantRows.map((v) => v.variant.id);
  const [levels, options, images] = await Promise.all([
    variantIds.length === 0
      ? []
      : tx.db
          .select()
          .from(inventoryLevels)
          .where(inArray(inventoryLevels.variantId, variantIds))
          .orderBy(asc(inventoryLevels.variantId))
          .for("update"),
    productIds.length === 0
      ? []
      : tx.db
          .select()
          .from(productOptions)
          .where(inArray(productOptions.productId, productIds))
          .orderBy(asc(productOptions.position), asc(productOptions.id)),
    productIds.length === 0
      ? []
      : tx.db
          .select()
          .from(productImages)
          .where(inArray(productImages.productId, productIds))
          .orderBy(asc(productImages.position), asc(productImages.id)),
  ]);
  return {
    categoryIds: new Map(cats.map((c) => [c.slug, c.id])),
    products: new Map(found.map((p) => [p.slug, p])),
    variants: variantRows.map((v) => v.variant),
    ownerSlugs: new Map(variantRows.map((v) => [v.variant.id, v.productSlug])),
    levels: new Map(levels.map((l) => [l.variantId, l])),
    options: mapGroups(
      Map.groupBy(options, (o) => o.productId),
      (o) => ({ name: o.name, values: o.values }),
    ),
    images: mapGroups(
      Map.groupBy(images, (i) => i.productId),
      (i) => ({ url: i.url, alt: i.alt }),
    ),
  };
}

const mapGroups = <T, V>(groups: Map<string, T[]>, value: (item: T) => V): Map<string, V[]> =>
  new Map([...groups].map(([key, items]) => [key, items.map(value)]));
