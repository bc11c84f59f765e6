import { inArray, sql } from "drizzle-orm";
import { variants } from "../../db/schema";
import { AppError, type FieldError } from "../../lib/errors";
import type { TxCtx } from "../../lib/transaction";

// The rules that keep a product's variants consistent with its options (domain.md "Catalog"):
// each variant gives exactly one value for each option, among that option's values, and no two
// variants share a combination or a SKU.

export interface OptionRule {
  name: string;
  values: readonly string[];
}

/** What is wrong with one variant's option values, each error under `path` (`variants.2.options`). */
export function optionErrors(
  options: readonly OptionRule[],
  chosen: Record<string, string>,
  path: string,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const option of options) {
    const value = chosen[option.name];
    if (value === undefined) errors.push({ path: `${path}.${option.name}`, message: "Give a value for this option" });
    else if (!option.values.includes(value)) {
      errors.push({
        path: `${path}.${option.name}`,
        message: `Not one of this option's values: ${option.values.join(", ")}`,
      });
    }
  }
  for (const name of Object.keys(chosen)) {
    if (!options.some((o) => o.name === name)) {
      errors.push({ path: `${path}.${name}`, message: "The product has no such option" });
    }
  }
  return errors;
}

/** A combination's identity whatever the key order, as the unique index on variants.options compares it. */
export const comboKey = (chosen: Record<string, string>): string =>
  JSON.stringify(Object.entries(chosen).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** What is wrong with a set of options on its own: names once each (any case), values once each. */
export function optionSetErrors(options: readonly OptionRule[], path = "options"): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  options.forEach((o, i) => {
    if (names.has(o.name.toLowerCase()))
      errors.push({ path: `${path}.${i}.name`, message: "Another option has this name" });
    names.add(o.name.toLowerCase());
    if (new Set(o.values).size !== o.values.length) {
      errors.push({ path: `${path}.${i}.values`, message: "Each value once" });
    }
  });
  return errors;
}

/** Throws VALIDATION_FAILED naming every bad option, option value, repeated SKU or repeated combination. */
export function assertVariantsFit(
  options: readonly OptionRule[],
  list: readonly { sku: string; options: Record<string, string> }[],
): void {
  const errors = optionSetErrors(options);
  const skus = new Set<string>();
  const combos = new Set<string>();
  list.forEach((v, i) => {
    errors.push(...optionErrors(options, v.options, `variants.${i}.options`));
    if (skus.has(v.sku))
      errors.push({ path: `variants.${i}.sku`, message: "Another variant in this request has this SKU" });
    skus.add(v.sku);
    const combo = comboKey(v.options);
    if (combos.has(combo)) {
      errors.push({
        path: `variants.${i}.options`,
        message: "Another variant in this request has these option values",
      });
    }
    combos.add(combo);
  });
  throwIfAny(errors);
}

export function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Invalid input: ${errors.map((e) => e.path).join(", ")}`, { errors });
  }
}

/**
 * CONFLICT naming the field of each SKU another variant already has: checked before the insert so
 * the answer names `variants.2.sku`, where the unique index alone could only say `sku`. The index
 * still decides a race.
 */
export async function assertSkusFreeInTx(tx: TxCtx, skus: readonly { sku: string; path: string }[]): Promise<void> {
  if (skus.length === 0) return;
  const taken = await tx.db
    .select({ sku: variants.sku })
    .from(variants)
    .where(
      inArray(
        variants.sku,
        skus.map((s) => s.sku),
      ),
    );
  const takenSet = new Set(taken.map((r) => r.sku));
  const errors = skus.filter((s) => takenSet.has(s.sku)).map((s) => ({ path: s.path, message: "Already taken" }));
  if (errors.length > 0) {
    throw new AppError("CONFLICT", `Already taken: ${errors.map((e) => e.path).join(", ")}`, { errors });
  }
}

/** A variant's title is its option values in option order ("M / Red"), or the product's title without options. */
export async function retitleVariantsInTx(tx: TxCtx, productId: string): Promise<void> {
  await tx.db.execute(sql`
    update variants v set title = coalesce(
      (select string_agg(v.options ->> o.name, ' / ' order by o.position, o.id)
       from product_options o where o.product_id = v.product_id),
      p.title)
    from products p
    where p.id = v.product_id and v.product_id = ${productId}`);
}

/**
 * CONFLICT when stock of these variants has a history beyond its opening entry, or units are
 * reserved: the ledger must keep explaining every movement (domain.md "Inventory"), so such a
 * product is archived, not deleted.
 */
export async function assertNoStockHistoryInTx(tx: TxCtx, variantIds: readonly string[], what: string): Promise<void> {
  if (variantIds.length === 0) return;
  const ids = sql.param([...variantIds]);
  const [used] = await tx.db.execute<{ used: boolean }>(sql`
    select exists (select 1 from inventory_levels where variant_id = any(${ids}::uuid[]) and reserved > 0)
        or exists (select 1 from inventory_ledger where variant_id = any(${ids}::uuid[]) and kind <> 'initial')
      as used`);
  if (used?.used) {
    throw new AppError("CONFLICT", `The ${what} has stock movements or reservations: archive it instead`);
  }
}
