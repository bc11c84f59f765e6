import type { CatalogRow } from "./catalog-rows";
import type { ImportState } from "./import-state";

/** One thing wrong with one row: its field path under `rows`, for validationError. */
export interface RowIssue {
  path: (string | number)[];
  message: string;
}

/** The product fields every row of one product repeats: the first row's win, the others must agree. */
export const PRODUCT_FIELDS = [
  "title",
  "description",
  "status",
  "categorySlug",
  "tags",
  "images",
  "productMetadata",
] as const satisfies (keyof CatalogRow)[];

/** A value as JSON with object keys sorted, so that two equal metadata maps compare equal. */
export const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export const optionNames = (row: CatalogRow) => row.options.map((o) => o.name);
/** A variant's option values as the variants table holds them: name to value. */
export const optionRecord = (row: CatalogRow): Record<string, string> =>
  Object.fromEntries(row.options.map((o) => [o.name, o.value]));

/** The rows of each product slug, in the import's order. */
export function rowsBySlug(rows: readonly CatalogRow[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const [i, row] of rows.entries()) {
    const list = groups.get(row.productSlug) ?? [];
    list.push(i);
    groups.set(row.productSlug, list);
  }
  return groups;
}

/**
 * What the rows say against each other (domain.md "Catalog"): SKUs unique, one product's rows
 * agree on its fields and name the same options, one value per option, no two variants of a
 * product with the same values.
 */
export function checkRows(rows: readonly CatalogRow[], groups: Map<string, number[]>): RowIssue[] {
  const issues: RowIssue[] = [];
  const skuRow = new Map<string, number>();
  for (const [i, row] of rows.entries()) {
    const earlier = skuRow.get(row.sku);
    if (earlier !== undefined)
      issues.push({ path: ["rows", i, "sku"], message: `Also in row ${earlier}: one row per SKU` });
    else skuRow.set(row.sku, i);
    const lower = optionNames(row).map((n) => n.toLowerCase());
    if (new Set(lower).size !== lower.length) {
      issues.push({ path: ["rows", i, "options"], message: "Names an option twice: one value per option" });
    }
  }
  for (const indices of groups.values()) {
    const [first = 0] = indices;
    const head = rows[first] as CatalogRow;
    const combos = new Map<string, number>();
    for (const i of indices) {
      const row = rows[i] as CatalogRow;
      if (i !== first) {
        for (const field of PRODUCT_FIELDS) {
          if (canonical(row[field]) !== canonical(head[field])) {
            issues.push({ path: ["rows", i, field], message: `Differs from row ${first}, this product's first row` });
          }
        }
        if (canonical(optionNames(row)) !== canonical(optionNames(head))) {
          issues.push({
            path: ["rows", i, "options"],
            message: `Must name the options of row ${first}, in its order: ${optionNames(head).join(", ") || "none"}`,
          });
        }
      }
      const combo = canonical(optionRecord(row));
      const same = combos.get(combo);
      if (same !== undefined) {
        issues.push({ path: ["rows", i, "options"], message: `The same option values as row ${same} of this product` });
      } else combos.set(combo, i);
    }
  }
  return issues;
}

/**
 * What the rows say against the catalog: categories exist, a SKU stays with its product, stock
 * never drops below what is reserved, and a product's variants left out of the import still fit
 * its options.
 */
export function checkAgainstCatalog(
  rows: readonly CatalogRow[],
  groups: Map<string, number[]>,
  state: ImportState,
): RowIssue[] {
  const issues: RowIssue[] = [];
  const bySku = new Map(state.variants.map((v) => [v.sku, v]));
  for (const [i, row] of rows.entries()) {
    if (
      row.categorySlug !== null &&
      !state.categoryIds.has(row.categorySlug) &&
      groups.get(row.productSlug)?.[0] === i
    ) {
      issues.push({ path: ["rows", i, "categorySlug"], message: `No category has the slug ${row.categorySlug}` });
    }
    const existing = bySku.get(row.sku);
    if (!existing) continue;
    const owner = state.ownerSlugs.get(existing.id);
    if (owner !== row.productSlug) {
      issues.push({ path: ["rows", i, "sku"], message: `Belongs to the product ${owner}: a SKU cannot move` });
    }
    const reserved = state.levels.get(existing.id)?.reserved ?? 0;
    if (row.onHand !== undefined && row.onHand < reserved) {
      issues.push({ path: ["rows", i, "onHand"], message: `Below the ${reserved} units reserved` });
    }
  }
  const imported = new Set(rows.map((r) => r.sku));
  for (const [slug, indices] of groups) {
    const product = state.products.get(slug);
    const [first = 0] = indices;
    const head = rows[first] as CatalogRow;
    if (!product) continue;
    const names = canonical([...optionNames(head)].sort());
    const combos = new Set(indices.map((i) => canonical(optionRecord(rows[i] as CatalogRow))));
    for (const left of state.variants.filter((v) => v.productId === product.id && !imported.has(v.sku))) {
      if (canonical(Object.keys(left.options).sort()) !== names) {
        issues.push({
          path: ["rows", first, "options"],
          message: `The product's variant ${left.sku}, not in this import, has other options: import it too`,
        });
      } else if (combos.has(canonical(left.options))) {
        issues.push({
          path: [
            "rows",
            indices.find((i) => canonical(optionRecord(rows[i] as CatalogRow)) === canonical(left.options)) ?? first,
            "options",
          ],
          message: `The same option values as the product's variant ${left.sku}`,
        });
      }
    }
  }
  return issues;
}
