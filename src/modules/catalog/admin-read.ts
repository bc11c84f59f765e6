import { asc, eq, sql } from "drizzle-orm";
import {
  categories,
  collectionProducts,
  collections,
  inventoryLevels,
  productImages,
  productOptions,
  products,
  variants,
} from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { AdminProduct, AdminVariant } from "./admin-schemas";
import { STORE_CURRENCY } from "./currency";

// How staff see a product: every status, every variant with its stock and metadata. Each admin
// write answers what this reads, in its own transaction, so the answer is what was committed.

const iso = (d: Date) => d.toISOString();

const variantColumns = {
  id: variants.id,
  productId: variants.productId,
  sku: variants.sku,
  title: variants.title,
  price: variants.price,
  compareAtPrice: variants.compareAtPrice,
  options: variants.options,
  weightGrams: variants.weightGrams,
  position: variants.position,
  metadata: variants.metadata,
  onHand: sql<number>`coalesce(${inventoryLevels.onHand}, 0)`,
  reserved: sql<number>`coalesce(${inventoryLevels.reserved}, 0)`,
  lowStockThreshold: sql<number>`coalesce(${inventoryLevels.lowStockThreshold}, 0)`,
};

type VariantRow = Omit<AdminVariant, "stock"> & { onHand: number; reserved: number; lowStockThreshold: number };

const toAdminVariant = ({ onHand, reserved, lowStockThreshold, ...v }: VariantRow): AdminVariant => ({
  ...v,
  stock: { onHand, reserved, available: onHand - reserved, lowStockThreshold },
});

const variantsQuery = (ctx: Ctx) =>
  ctx.db.select(variantColumns).from(variants).leftJoin(inventoryLevels, eq(inventoryLevels.variantId, variants.id));

/** One variant with its stock; NOT_FOUND when absent. */
export async function readAdminVariant(ctx: Ctx, id: string): Promise<AdminVariant> {
  const [row] = await variantsQuery(ctx).where(eq(variants.id, id));
  if (!row) throw new AppError("NOT_FOUND", "Variant not found");
  return toAdminVariant(row);
}

/** A product as staff see it, drafts included; NOT_FOUND when absent. */
export async function readAdminProduct(ctx: Ctx, id: string): Promise<AdminProduct> {
  const [product] = await ctx.db
    .select({ product: products, category: { id: categories.id, name: categories.name, slug: categories.slug } })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(eq(products.id, id));
  if (!product) throw new AppError("NOT_FOUND", "Product not found");
  const [options, variantRows, images, inCollections] = await Promise.all([
    ctx.db
      .select({
        id: productOptions.id,
        name: productOptions.name,
        position: productOptions.position,
        values: productOptions.values,
      })
      .from(productOptions)
      .where(eq(productOptions.productId, id))
      .orderBy(asc(productOptions.position), asc(productOptions.id)),
    variantsQuery(ctx).where(eq(variants.productId, id)).orderBy(asc(variants.position), asc(variants.id)),
    ctx.db
      .select({
        id: productImages.id,
        url: productImages.url,
        alt: productImages.alt,
        position: productImages.position,
      })
      .from(productImages)
      .where(eq(productImages.productId, id))
      .orderBy(asc(productImages.position), asc(productImages.id)),
    ctx.db
      .select({ id: collections.id, slug: collections.slug, title: collections.title })
      .from(collections)
      .innerJoin(collectionProducts, eq(collectionProducts.collectionId, collections.id))
      .where(eq(collectionProducts.productId, id))
      .orderBy(asc(collections.position), asc(collections.title), asc(collections.id)),
  ]);
  const p = product.product;
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    description: p.description,
    status: p.status,
    category: product.category,
    tags: p.tags,
    attributes: p.attributes,
    metadata: p.metadata,
    price: { min: p.minPrice, max: p.maxPrice, compareAt: p.compareAtPrice, currency: STORE_CURRENCY },
    options,
    variants: variantRows.map(toAdminVariant),
    images,
    collections: inCollections,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}
