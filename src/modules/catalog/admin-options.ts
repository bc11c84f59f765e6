import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { productOptions } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { readAdminProduct } from "./admin-read";
import { AddOptionInput, type AdminProduct, UpdateOptionInput } from "./admin-schemas";
import { optionSetErrors, retitleVariantsInTx, throwIfAny } from "./admin-variant-rules";
import { lockProductOptionsInTx } from "./admin-variants";
import { productsChangedInTx } from "./listing";
import { MAX_OPTIONS } from "./schemas";

// Options change with the variants that use them, in one transaction, so every variant keeps one
// value for each option (admin-variant-rules.ts).

/**
 * Adds an option; every existing variant takes `defaultValue` (a product always has variants, so
 * it is required). Staff, or catalog:write.
 */
export async function addOption(ctx: Ctx, raw: z.input<typeof AddOptionInput>): Promise<AdminProduct> {
  requireStaff(ctx.actor, "catalog:write");
  const { id: productId, defaultValue, ...option } = AddOptionInput.parse(raw);
  throwIfAny(optionSetErrors([option], "options").map((e) => ({ ...e, path: "values" })));
  if (defaultValue === undefined || !option.values.includes(defaultValue)) {
    throw new AppError("VALIDATION_FAILED", "Invalid input: defaultValue", {
      errors: [{ path: "defaultValue", message: "Give the value existing variants take, one of values" }],
    });
  }
  return inTransaction(ctx, async (tx) => {
    const existing = await lockProductOptionsInTx(tx, productId);
    if (existing.length >= MAX_OPTIONS) {
      throw new AppError("CONFLICT", `A product has at most ${MAX_OPTIONS} options`);
    }
    // A name another option has (any case) is CONFLICT naming `name` (product_options_product_name_unique).
    await tx.db.insert(productOptions).values({ ...option, id: newId(), productId, position: existing.length });
    await tx.db.execute(sql`
      update variants set options = options || jsonb_build_object(${option.name}::text, ${defaultValue}::text), updated_at = now()
      where product_id = ${productId}`);
    return afterOptionsChangedInTx(tx, productId);
  });
}

/**
 * Renames an option (in every variant too), replaces its ordered values or moves it; a value a
 * variant uses cannot be left out (CONFLICT naming `values`). Staff, or catalog:write.
 */
export async function updateOption(ctx: Ctx, raw: z.input<typeof UpdateOptionInput>): Promise<AdminProduct> {
  requireStaff(ctx.actor, "catalog:write");
  const { id, renameValues, ...change } = UpdateOptionInput.parse(raw);
  if (change.values) throwIfAny(valueListErrors(change.values, "values"));
  return inTransaction(ctx, async (tx) => {
    const option = await lockOptionInTx(tx, id);
    const renamed = renameValues ? await renameValuesInTx(tx, option, renameValues) : [...option.values];
    const values = change.values ?? renamed;
    if (change.values) await assertValuesUnusedInTx(tx, { ...option, values: renamed }, change.values);
    await tx.db
      .update(productOptions)
      .set({ ...change, values })
      .where(eq(productOptions.id, id));
    if (change.name !== undefined && change.name !== option.name) {
      await tx.db.execute(sql`
        update variants set options = (options - ${option.name}::text) || jsonb_build_object(${change.name}::text, options -> ${option.name}::text),
          updated_at = now()
        where product_id = ${option.productId} and options ? ${option.name}::text`);
    }
    return afterOptionsChangedInTx(tx, option.productId);
  });
}

const valueListErrors = (values: readonly string[], path: string) =>
  optionSetErrors([{ name: "", values }]).map((e) => ({ ...e, path }));

/** Renames values in the option's list and in every variant using them; answers the renamed list. */
async function renameValuesInTx(
  tx: TxCtx,
  option: { name: string; productId: string; values: readonly string[] },
  renames: Record<string, string>,
): Promise<string[]> {
  throwIfAny(
    Object.keys(renames)
      .filter((old) => !option.values.includes(old))
      .map((old) => ({ path: `renameValues.${old}`, message: "Not one of this option's values" })),
  );
  const renamed = option.values.map((v) => renames[v] ?? v);
  throwIfAny(valueListErrors(renamed, "renameValues"));
  const pairs = Object.entries(renames);
  // A swap (S to M and M to S) meets the unique combination index midway: CONFLICT naming `options`.
  await tx.db.execute(sql`
    update variants v set options = jsonb_set(v.options, array[${option.name}::text], to_jsonb(r.new_value)), updated_at = now()
    from unnest(${sql.param(pairs.map(([o]) => o))}::text[], ${sql.param(pairs.map(([, n]) => n))}::text[]) as r(old_value, new_value)
    where v.product_id = ${option.productId} and v.options ->> ${option.name}::text = r.old_value`);
  return renamed;
}

/**
 * Removes an option and its value from every variant; CONFLICT when two variants would then be
 * the same combination (delete one of them first). Staff, or catalog:write.
 */
export async function deleteOption(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor, "catalog:write");
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const option = await lockOptionInTx(tx, id);
    const [clash] = await tx.db.execute<{ n: number }>(sql`
      select count(*)::int as n from variants where product_id = ${option.productId}
      group by options - ${option.name}::text having count(*) > 1 limit 1`);
    if (clash) {
      throw new AppError(
        "CONFLICT",
        "Without this option some variants would be the same: delete all but one of them first",
      );
    }
    await tx.db.delete(productOptions).where(eq(productOptions.id, id));
    await tx.db.execute(sql`
      update variants set options = options - ${option.name}::text, updated_at = now()
      where product_id = ${option.productId}`);
    await afterOptionsChangedInTx(tx, option.productId);
  });
}

async function lockOptionInTx(tx: TxCtx, id: string) {
  const [found] = await tx.db
    .select({ productId: productOptions.productId })
    .from(productOptions)
    .where(eq(productOptions.id, id));
  if (!found) throw new AppError("NOT_FOUND", "Option not found");
  const options = await lockProductOptionsInTx(tx, found.productId);
  const option = options.find((o) => o.id === id);
  // Deleted between the two reads.
  if (!option) throw new AppError("NOT_FOUND", "Option not found");
  return { ...option, productId: found.productId };
}

async function assertValuesUnusedInTx(
  tx: TxCtx,
  option: { name: string; productId: string; values: readonly string[] },
  kept: readonly string[],
): Promise<void> {
  const dropped = option.values.filter((v) => !kept.includes(v));
  if (dropped.length === 0) return;
  const used = await tx.db.execute<{ value: string }>(sql`
    select distinct options ->> ${option.name}::text as value from variants
    where product_id = ${option.productId} and options ->> ${option.name}::text = any(${sql.param(dropped)}::text[])`);
  if (used.length > 0) {
    const values = used.map((u) => u.value).sort();
    throw new AppError("CONFLICT", `Variants use ${values.join(", ")}: change or delete them first`, {
      errors: [{ path: "values", message: `Still used by variants: ${values.join(", ")}` }],
    });
  }
}

async function afterOptionsChangedInTx(tx: TxCtx, productId: string): Promise<AdminProduct> {
  await retitleVariantsInTx(tx, productId);
  await productsChangedInTx(tx, [productId]);
  return readAdminProduct(tx, productId);
}
