import type { z } from "zod";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { validationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { type CatalogRow, ImportProductsInput, ImportRowsInput, rowsFromCsv } from "./catalog-rows";
import { canonical, checkAgainstCatalog, checkRows, optionNames, optionRecord, rowsBySlug } from "./import-checks";
import { type ImportOutcome, type ImportReport, tally } from "./import-report";
import { type ImportState, loadImportStateInTx } from "./import-state";
import { type ImportPlan, type ProductPlan, type VariantPlan, writeImportInTx } from "./import-writes";

/**
 * Upserts products and variants by SKU from JSON rows or CSV text (README "Bulk import and
 * export"), all or nothing: one transaction, and any bad row fails the whole import with every
 * bad row and field named. Staff, or an API key with catalog:write.
 */
export async function importProducts(ctx: Ctx, raw: z.input<typeof ImportProductsInput>): Promise<ImportReport> {
  requireStaff(ctx.actor, "catalog:write");
  const input = ImportProductsInput.parse(raw);
  const { rows } =
    input.csv === undefined ? { rows: input.rows ?? [] } : ImportRowsInput.parse({ rows: rowsFromCsv(input.csv) });
  return inTransaction(ctx, (tx) => importRowsInTx(tx, rows));
}

/** The import inside the caller's transaction: checks, then set-based writes, one listing refresh. */
export async function importRowsInTx(tx: TxCtx, rows: readonly CatalogRow[]): Promise<ImportReport> {
  const groups = rowsBySlug(rows);
  const categorySlugs = [...new Set(rows.flatMap((r) => (r.categorySlug ? [r.categorySlug] : [])))];
  const skus = rows.map((r) => r.sku);
  const state = await loadImportStateInTx(tx, [...groups.keys()], skus, categorySlugs);
  const issues = [...checkRows(rows, groups), ...checkAgainstCatalog(rows, groups, state)];
  if (issues.length > 0) throw validationError(issues);

  const plan = planImport(rows, groups, state);
  await writeImportInTx(tx, plan);
  return {
    rows: plan.variants.map((v) => {
      const product = plan.products.get(v.productSlug) as ProductPlan;
      return {
        row: v.row,
        sku: v.sku,
        variantId: v.id,
        variant: v.outcome,
        productSlug: product.slug,
        productId: product.id,
        product: product.outcome,
      };
    }),
    products: tally([...plan.products.values()].map((p) => p.outcome)),
    variants: tally(plan.variants.map((v) => v.outcome)),
  };
}

function planImport(rows: readonly CatalogRow[], groups: Map<string, number[]>, state: ImportState): ImportPlan {
  const products = new Map<string, ProductPlan>();
  for (const [slug, indices] of groups) {
    products.set(slug, planProduct(rows, indices, state));
  }
  const bySku = new Map(state.variants.map((v) => [v.sku, v]));
  const variants = rows.map((row, i): VariantPlan => {
    const product = products.get(row.productSlug) as ProductPlan;
    const existing = bySku.get(row.sku);
    const level = existing && state.levels.get(existing.id);
    const values = {
      title: row.options.map((o) => o.value).join(" / ") || row.title,
      price: row.price,
      compareAtPrice: row.compareAtPrice,
      weightGrams: row.weightGrams,
      options: optionRecord(row),
      metadata: row.variantMetadata,
    };
    const stock = {
      onHand: row.onHand ?? level?.onHand ?? 0,
      lowStockThreshold: row.lowStockThreshold ?? level?.lowStockThreshold ?? 0,
    };
    const changed =
      !existing ||
      canonical(values) !==
        canonical({
          title: existing.title,
          price: existing.price,
          compareAtPrice: existing.compareAtPrice,
          weightGrams: existing.weightGrams,
          options: existing.options,
          metadata: existing.metadata,
        });
    const stockChanged = !level || level.onHand !== stock.onHand || level.lowStockThreshold !== stock.lowStockThreshold;
    const outcome: ImportOutcome = !existing ? "created" : changed || stockChanged ? "updated" : "unchanged";
    return {
      row: i,
      id: existing?.id ?? newId(),
      sku: row.sku,
      productSlug: row.productSlug,
      productId: product.id,
      // A new variant takes its place among its product's rows; an existing one keeps its own.
      position: product.rows.indexOf(i),
      outcome,
      write: changed,
      values,
      stock: stockChanged ? { ...stock, before: level ?? null } : null,
    };
  });
  return { products, variants };
}

function planProduct(rows: readonly CatalogRow[], indices: number[], state: ImportState): ProductPlan {
  const head = rows[indices[0] ?? 0] as CatalogRow;
  const existing = state.products.get(head.productSlug);
  const fields = {
    title: head.title,
    description: head.description,
    status: head.status,
    categoryId: head.categorySlug === null ? null : (state.categoryIds.get(head.categorySlug) ?? null),
    tags: head.tags,
    metadata: head.productMetadata,
  };
  const options = mergedOptions(
    optionNames(head),
    indices.map((i) => rows[i] as CatalogRow),
    existing ? (state.options.get(existing.id) ?? []) : [],
  );
  const before = existing && {
    fields: {
      title: existing.title,
      description: existing.description,
      status: existing.status,
      categoryId: existing.categoryId,
      tags: existing.tags,
      metadata: existing.metadata,
    },
    options: state.options.get(existing.id) ?? [],
    images: state.images.get(existing.id) ?? [],
  };
  const fieldsChanged = !before || canonical(fields) !== canonical(before.fields);
  const optionsChanged = !before || canonical(options) !== canonical(before.options);
  const imagesChanged = !before || canonical(head.images) !== canonical(before.images);
  return {
    slug: head.productSlug,
    id: existing?.id ?? newId(),
    rows: indices,
    outcome: !existing ? "created" : fieldsChanged || optionsChanged || imagesChanged ? "updated" : "unchanged",
    fields: fieldsChanged ? fields : null,
    options: optionsChanged ? options : null,
    images: imagesChanged ? head.images : null,
  };
}

/**
 * The product's options from its rows: names in the rows' order, values in order of appearance.
 * When it already has options of those names, their values keep their order and new ones are
 * appended (an import never drops a value: a variant left out of it may still use one).
 */
function mergedOptions(names: string[], rows: CatalogRow[], existing: { name: string; values: string[] }[]) {
  const sameNames = canonical(existing.map((o) => o.name)) === canonical(names);
  return names.map((name, i) => {
    const values = sameNames ? [...(existing[i]?.values ?? [])] : [];
    for (const row of rows) {
      const value = row.options[i]?.value;
      if (value !== undefined && !values.includes(value)) values.push(value);
    }
    return { name, values };
  });
}
