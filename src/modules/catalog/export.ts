import { z } from "@hono/zod-openapi";
import { asc, eq, gt, inArray } from "drizzle-orm";
import { categories, inventoryLevels, productImages, productOptions, products, variants } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { type CatalogRow, csvText, EXPORT_FORMATS, type ExportFormat, ndjsonText } from "./catalog-rows";

/** Products read per query: a batch holds these and their variants, never the whole catalog. */
export const EXPORT_BATCH_PRODUCTS = 250;

export const ExportProductsInput = z.object({
  format: z.enum(EXPORT_FORMATS).default("csv").openapi({ description: "CSV (with a header line) or NDJSON" }),
});

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv",
  ndjson: "application/x-ndjson",
};

/**
 * The whole catalog (every status) as a stream of import rows, read in keyset batches by slug: it
 * starts at once and holds one batch at a time. Staff, or an API key with catalog:read.
 */
export function exportProducts(ctx: Ctx, raw: z.input<typeof ExportProductsInput>): ReadableStream<Uint8Array> {
  requireStaff(ctx.actor, "catalog:read");
  const { format } = ExportProductsInput.parse(raw);
  const chunks = exportChunks(ctx, format);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.text));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The export's text batch by batch, with how many rows each holds (the CLI's progress). */
export async function* exportChunks(ctx: Ctx, format: ExportFormat): AsyncGenerator<{ text: string; rows: number }> {
  let first = true;
  for await (const rows of exportBatches(ctx)) {
    yield { text: format === "csv" ? csvText(rows, first) : ndjsonText(rows), rows: rows.length };
    first = false;
  }
  // An empty catalog still has its CSV header.
  if (first && format === "csv") yield { text: csvText([], true), rows: 0 };
}

/** The catalog's rows, one batch of EXPORT_BATCH_PRODUCTS products at a time, ordered by product slug. */
async function* exportBatches(ctx: Ctx): AsyncGenerator<CatalogRow[]> {
  let after: string | null = null;
  for (;;) {
    const batch = await ctx.db
      .select({ product: products, categorySlug: categories.slug })
      .from(products)
      .leftJoin(categories, eq(categories.id, products.categoryId))
      .where(after === null ? undefined : gt(products.slug, after))
      .orderBy(asc(products.slug))
      .limit(EXPORT_BATCH_PRODUCTS);
    if (batch.length === 0) return;
    yield await rowsOf(ctx, batch);
    if (batch.length < EXPORT_BATCH_PRODUCTS) return;
    after = batch.at(-1)?.product.slug ?? null;
  }
}

type Batch = { product: typeof products.$inferSelect; categorySlug: string | null }[];

async function rowsOf(ctx: Ctx, batch: Batch): Promise<CatalogRow[]> {
  const ids = batch.map((b) => b.product.id);
  const [variantRows, options, images] = await Promise.all([
    ctx.db
      .select({ variant: variants, onHand: inventoryLevels.onHand, threshold: inventoryLevels.lowStockThreshold })
      .from(variants)
      .leftJoin(inventoryLevels, eq(inventoryLevels.variantId, variants.id))
      .where(inArray(variants.productId, ids))
      .orderBy(asc(variants.productId), asc(variants.position), asc(variants.id)),
    ctx.db
      .select({ productId: productOptions.productId, name: productOptions.name })
      .from(productOptions)
      .where(inArray(productOptions.productId, ids))
      .orderBy(asc(productOptions.position), asc(productOptions.id)),
    ctx.db
      .select({ productId: productImages.productId, url: productImages.url, alt: productImages.alt })
      .from(productImages)
      .where(inArray(productImages.productId, ids))
      .orderBy(asc(productImages.position), asc(productImages.id)),
  ]);
  const namesOf = Map.groupBy(options, (o) => o.productId);
  const imagesOf = Map.groupBy(images, (i) => i.productId);
  const variantsOf = Map.groupBy(variantRows, (v) => v.variant.productId);
  return batch.flatMap(({ product, categorySlug }) => {
    const names = (namesOf.get(product.id) ?? []).map((o) => o.name);
    const productImagesOf = (imagesOf.get(product.id) ?? []).map(({ url, alt }) => ({ url, alt }));
    return (variantsOf.get(product.id) ?? []).map(({ variant, onHand, threshold }) => ({
      sku: variant.sku,
      productSlug: product.slug,
      title: product.title,
      description: product.description,
      status: product.status,
      categorySlug,
      tags: product.tags,
      images: productImagesOf,
      productMetadata: product.metadata,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      weightGrams: variant.weightGrams,
      options: orderedOptions(variant.options, names),
      variantMetadata: variant.metadata,
      onHand: onHand ?? 0,
      lowStockThreshold: threshold ?? 0,
    }));
  });
}

/** A variant's values in its product's option order; a name the product lacks follows, sorted. */
function orderedOptions(values: Record<string, string>, names: string[]) {
  const extra = Object.keys(values)
    .filter((n) => !names.includes(n))
    .sort();
  return [...names, ...extra].flatMap((name) => (name in values ? [{ name, value: values[name] as string }] : []));
}
