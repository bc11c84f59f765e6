import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { productOptions, products, variants } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { readAdminVariant } from "./admin-read";
import { type AdminVariant, CreateVariantInput, UpdateVariantInput } from "./admin-schemas";
import {
  assertNoStockHistoryInTx,
  assertSkusFreeInTx,
  type OptionRule,
  optionErrors,
  retitleVariantsInTx,
  throwIfAny,
} from "./admin-variant-rules";
import { createLevelsInTx } from "./levels";
import { productsChangedInTx } from "./listing";

/**
 * Locks the product and answers its options: variant and option writes of one product take turns,
 * so two of them cannot each pass a check that together they break (the last variant, a value in use).
 */
export async function lockProductOptionsInTx(tx: TxCtx, productId: string): Promise<(OptionRule & { id: string })[]> {
  const [found] = await tx.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.id, productId))
    .for("update");
  if (!found) throw new AppError("NOT_FOUND", "Product not found");
  return tx.db
    .select({ id: productOptions.id, name: productOptions.name, values: productOptions.values })
    .from(productOptions)
    .where(eq(productOptions.productId, productId))
    .orderBy(asc(productOptions.position), asc(productOptions.id));
}

async function productOfVariant(tx: TxCtx, variantId: string): Promise<string> {
  const [row] = await tx.db.select({ productId: variants.productId }).from(variants).where(eq(variants.id, variantId));
  if (!row) throw new AppError("NOT_FOUND", "Variant not found");
  return row.productId;
}

/** Adds a variant, last, with its opening stock. Staff, or catalog:write. */
export async function createVariant(ctx: Ctx, raw: z.input<typeof CreateVariantInput>): Promise<AdminVariant> {
  requireStaff(ctx.actor, "catalog:write");
  const { id: productId, onHand, lowStockThreshold, ...fields } = CreateVariantInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const options = await lockProductOptionsInTx(tx, productId);
    throwIfAny(optionErrors(options, fields.options, "options"));
    await assertSkusFreeInTx(tx, [{ sku: fields.sku, path: "sku" }]);
    const id = newId();
    // A combination another variant has is CONFLICT naming `options` (variants_product_options_unique).
    await tx.db.insert(variants).values({
      ...fields,
      id,
      productId,
      title: "",
      position: sql`(select coalesce(max(position) + 1, 0) from variants where product_id = ${productId})`,
    });
    await retitleVariantsInTx(tx, productId);
    await createLevelsInTx(tx, [{ variantId: id, onHand, lowStockThreshold }]);
    await productsChangedInTx(tx, [productId]);
    return readAdminVariant(tx, id);
  });
}

/** Changes a variant's price, SKU, options, weight, position or metadata (replaced whole); not its stock. */
export async function updateVariant(ctx: Ctx, raw: z.input<typeof UpdateVariantInput>): Promise<AdminVariant> {
  requireStaff(ctx.actor, "catalog:write");
  const { id, ...change } = UpdateVariantInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const productId = await productOfVariant(tx, id);
    const options = await lockProductOptionsInTx(tx, productId);
    if (change.options) throwIfAny(optionErrors(options, change.options, "options"));
    // A SKU or combination another variant has is CONFLICT naming `sku` or `options` (the unique indexes).
    await tx.db
      .update(variants)
      .set({ ...change, updatedAt: sql`now()` })
      .where(eq(variants.id, id));
    if (change.options) await retitleVariantsInTx(tx, productId);
    await productsChangedInTx(tx, [productId]);
    return readAdminVariant(tx, id);
  });
}

/** Deletes a variant; CONFLICT for a product's last variant or a variant with stock history. */
export async function deleteVariant(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor, "catalog:write");
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const productId = await productOfVariant(tx, id);
    await lockProductOptionsInTx(tx, productId);
    const [other] = await tx.db
      .select({ id: variants.id })
      .from(variants)
      .where(and(eq(variants.productId, productId), ne(variants.id, id)))
      .limit(1);
    // domain.md "Catalog": a product has at least one variant.
    if (!other) throw new AppError("CONFLICT", "A product keeps at least one variant: delete or archive the product");
    await assertNoStockHistoryInTx(tx, [id], "variant");
    await tx.db.delete(variants).where(eq(variants.id, id));
    await productsChangedInTx(tx, [productId]);
  });
}
