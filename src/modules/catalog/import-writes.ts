import { inArray, sql } from "drizzle-orm";
import type { ProductStatus } from "../../db/schema";
import { productImages, productOptions, products, variants } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";
import type { ImportOutcome } from "./import-report";
import type { LevelRow } from "./import-state";
import { recordChangesInTx } from "./inventory-changes";
import { createLevelsInTx } from "./levels";
import { productsChangedInTx } from "./listing";

export interface ProductPlan {
  slug: string;
  id: string;
  /** Its rows' indices in the import. */
  rows: number[];
  outcome: ImportOutcome;
  /** Each part is null when it stays as it is. */
  fields: {
    title: string;
    description: string;
    status: ProductStatus;
    categoryId: string | null;
    tags: string[];
    metadata: Record<string, string>;
  } | null;
  options: { name: string; values: string[] }[] | null;
  images: { url: string; alt: string }[] | null;
}

export interface VariantPlan {
  row: number;
  id: string;
  sku: string;
  productSlug: string;
  productId: string;
  position: number;
  outcome: ImportOutcome;
  /** Its own fields changed (or it is new). */
  write: boolean;
  values: {
    title: string;
    price: number;
    compareAtPrice: number | null;
    weightGrams: number | null;
    options: Record<string, string>;
    metadata: Record<string, string>;
  };
  /** Null when its stock stays as it is; `before` is null for a new variant. */
  stock: { onHand: number; lowStockThreshold: number; before: LevelRow | null } | null;
}

export interface ImportPlan {
  products: Map<string, ProductPlan>;
  variants: VariantPlan[];
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

/**
 * The plan in a fixed number of statements whatever the row count: multi-row upserts of products
 * and variants, options and images replaced where they changed, stock set with a ledger row of kind
 * `import` per change, and one listing refresh for every product touched.
 */
export async function writeImportInTx(tx: TxCtx, plan: ImportPlan): Promise<void> {
  const productPlans = [...plan.products.values()];
  const changedProducts = productPlans.flatMap((p) => (p.fields ? [{ id: p.id, slug: p.slug, ...p.fields }] : []));
  if (changedProducts.length > 0) {
    await tx.db
      .insert(products)
      .values(changedProducts)
      .onConflictDoUpdate({
        target: products.slug,
        set: {
          title: excluded("title"),
          description: excluded("description"),
          status: excluded("status"),
          categoryId: excluded("category_id"),
          tags: excluded("tags"),
          metadata: excluded("metadata"),
          updatedAt: sql`now()`,
        },
      });
  }
  await replaceInTx(
    tx,
    productPlans.filter((p) => p.options),
    productOptions,
    (p) =>
      (p.options ?? []).map((o, i) => ({ id: newId(), productId: p.id, name: o.name, values: o.values, position: i })),
  );
  await replaceInTx(
    tx,
    productPlans.filter((p) => p.images),
    productImages,
    (p) =>
      (p.images ?? []).map((img, i) => ({ id: newId(), productId: p.id, url: img.url, alt: img.alt, position: i })),
  );
  const written = plan.variants.filter((v) => v.write);
  if (written.length > 0) {
    await tx.db
      .insert(variants)
      .values(written.map((v) => ({ id: v.id, productId: v.productId, sku: v.sku, position: v.position, ...v.values })))
      .onConflictDoUpdate({
        target: variants.sku,
        set: {
          title: excluded("title"),
          price: excluded("price"),
          compareAtPrice: excluded("compare_at_price"),
          weightGrams: excluded("weight_grams"),
          options: excluded("options"),
          metadata: excluded("metadata"),
          updatedAt: sql`now()`,
        },
      });
  }
  await writeStockInTx(tx, plan.variants);

  const touched = [
    ...productPlans.filter((p) => p.outcome !== "unchanged").map((p) => p.id),
    ...plan.variants.filter((v) => v.outcome !== "unchanged").map((v) => v.productId),
  ];
  const onlyStock = productPlans.every((p) => p.outcome === "unchanged") && !plan.variants.some((v) => v.write);
  await productsChangedInTx(tx, touched, { stockOnly: onlyStock });
}

/** Deletes the rows of these products in `table` and inserts their new ones: two statements. */
async function replaceInTx<T extends typeof productOptions | typeof productImages>(
  tx: TxCtx,
  plans: ProductPlan[],
  table: T,
  rowsOf: (p: ProductPlan) => T["$inferInsert"][],
): Promise<void> {
  if (plans.length === 0) return;
  await tx.db.delete(table).where(
    inArray(
      table.productId,
      plans.map((p) => p.id),
    ),
  );
  const rows = plans.flatMap(rowsOf);
  if (rows.length > 0) await tx.db.insert(table).values(rows as never);
}

/**
 * New variants open their stock (ledger kind `initial`); existing ones are set to the imported
 * level, with a ledger row of kind `import` carrying the delta (checkAgainstCatalog kept it at or
 * above what is reserved). A fall to the low-stock threshold enqueues its one alert.
 */
async function writeStockInTx(tx: TxCtx, planned: VariantPlan[]): Promise<void> {
  const opening = planned.filter((v) => v.stock && !v.stock.before);
  await createLevelsInTx(
    tx,
    opening.map((v) => ({
      variantId: v.id,
      onHand: v.stock?.onHand ?? 0,
      lowStockThreshold: v.stock?.lowStockThreshold ?? 0,
    })),
    "import",
  );
  const changed = planned.flatMap((v) =>
    v.stock?.before ? [{ ...v.stock, before: v.stock.before, id: v.id, productId: v.productId }] : [],
  );
  if (changed.length === 0) return;
  const payload = JSON.stringify(
    changed.map((c) => ({ variant_id: c.id, on_hand: c.onHand, low_stock_threshold: c.lowStockThreshold })),
  );
  await tx.db.execute(sql`
    update inventory_levels l set on_hand = x.on_hand, low_stock_threshold = x.low_stock_threshold, updated_at = now()
    from jsonb_to_recordset(${payload}::jsonb) as x(variant_id uuid, on_hand int, low_stock_threshold int)
    where l.variant_id = x.variant_id`);
  // The ledger rows, low-stock alerts and listing of every other stock change (inventory-changes.ts).
  await recordChangesInTx(
    tx,
    changed
      .filter((c) => c.onHand !== c.before.onHand)
      .map((c) => ({
        row: {
          variantId: c.id,
          productId: c.productId,
          onHand: c.onHand,
          reserved: c.before.reserved,
          lowStockThreshold: c.lowStockThreshold,
          updatedAt: new Date(),
        },
        kind: "import" as const,
        onHandDelta: c.onHand - c.before.onHand,
        reservedDelta: 0,
        reason: "import",
      })),
  );
}
