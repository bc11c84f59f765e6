import { and, arrayContains, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { shippingMethods } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError, type FieldError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import {
  CreateShippingMethodInput,
  daysOutOfOrder,
  ListShippingMethodsInput,
  ShippingDestination,
  type ShippingMethod,
  type ShippingMethodOption,
  type ShippingMethodPage,
  UpdateShippingMethodInput,
} from "./schemas";

export type { ShippingMethodOption };

/** What every cached shipping read depends on; each shipping write invalidates it once committed. */
export const SHIPPING_METHODS_TAG = "shipping-methods";

type MethodRow = typeof shippingMethods.$inferSelect;

const toShippingMethod = (row: MethodRow): ShippingMethod => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const toOption = (row: MethodRow): ShippingMethodOption => ({
  id: row.id,
  name: row.name,
  rate: row.rate,
  description: row.description,
  countries: row.countries,
  estimatedDaysMin: row.estimatedDaysMin,
  estimatedDaysMax: row.estimatedDaysMax,
});

const notFound = () => new AppError("NOT_FOUND", "Shipping method not found");

// After the commit: a cart read in between would cache the old methods under the new version.
const invalidateMethods = (tx: TxCtx) => tx.afterCommit(() => tx.cache.invalidateTags([SHIPPING_METHODS_TAG]));

/** Every shipping method, newest first, optionally those serving a country or (not) enabled. Staff only. */
export async function listShippingMethods(
  ctx: Ctx,
  raw: z.input<typeof ListShippingMethodsInput>,
): Promise<ShippingMethodPage> {
  requireStaff(ctx.actor);
  const input = ListShippingMethodsInput.parse(raw);
  const rows = await ctx.db
    .select({ row: shippingMethods, id: shippingMethods.id, pageKey: pageKey(shippingMethods) })
    .from(shippingMethods)
    .where(
      and(
        after(shippingMethods, input.cursor),
        input.country === undefined ? undefined : arrayContains(shippingMethods.countries, [input.country]),
        input.enabled === undefined ? undefined : eq(shippingMethods.enabled, input.enabled),
      ),
    )
    .orderBy(...newestFirst(shippingMethods))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => toShippingMethod(r.row));
}

/** One shipping method, enabled or not. Staff only. */
export async function getShippingMethod(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<ShippingMethod> {
  requireStaff(ctx.actor);
  const { id } = IdParam.parse(raw);
  const [row] = await ctx.db.select().from(shippingMethods).where(eq(shippingMethods.id, id));
  if (!row) throw notFound();
  return toShippingMethod(row);
}

/** Creates a shipping method (enabled unless told otherwise). Staff only. */
export async function createShippingMethod(
  ctx: Ctx,
  raw: z.input<typeof CreateShippingMethodInput>,
): Promise<ShippingMethod> {
  requireStaff(ctx.actor);
  const input = CreateShippingMethodInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(shippingMethods)
      .values({ ...input, id: newId() })
      .returning();
    invalidateMethods(tx);
    return toShippingMethod(row as MethodRow);
  });
}

/** Changes some fields of a shipping method; a rate given replaces the whole rate. Staff only. */
export async function updateShippingMethod(
  ctx: Ctx,
  raw: z.input<typeof UpdateShippingMethodInput>,
): Promise<ShippingMethod> {
  requireStaff(ctx.actor);
  const { id, ...patch } = UpdateShippingMethodInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // Locked: the delivery estimate is checked against the stored half a concurrent update may change.
    const [found] = await tx.db.select().from(shippingMethods).where(eq(shippingMethods.id, id)).for("update");
    if (!found) throw notFound();
    assertChange(patch, found);
    const [row] = await tx.db
      .update(shippingMethods)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(shippingMethods.id, id))
      .returning();
    invalidateMethods(tx);
    return toShippingMethod(row as MethodRow);
  });
}

/** Deletes a shipping method. Staff only. */
export async function deleteShippingMethod(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor);
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const gone = await tx.db
      .delete(shippingMethods)
      .where(eq(shippingMethods.id, id))
      .returning({ id: shippingMethods.id });
    if (gone.length === 0) throw notFound();
    invalidateMethods(tx);
  });
}

/**
 * The enabled methods serving the destination's country, in display order (position, then oldest
 * first): what a cart offers. Cached, as every cart read asks; any shipping write refreshes it.
 */
export async function methodsFor(ctx: Ctx, raw: z.input<typeof ShippingDestination>): Promise<ShippingMethodOption[]> {
  const { country } = ShippingDestination.parse(raw);
  return ctx.cache.wrap(`shipping:methods:${country}`, { tags: [SHIPPING_METHODS_TAG] }, async () => {
    const rows = await ctx.db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.enabled, true), arrayContains(shippingMethods.countries, [country])))
      .orderBy(asc(shippingMethods.position), asc(shippingMethods.createdAt), asc(shippingMethods.id));
    return rows.map(toOption);
  });
}

/** One enabled method by id, or null when there is none (deleted, disabled): the cart's chosen method. Cached. */
export async function methodFor(ctx: Ctx, id: string): Promise<ShippingMethodOption | null> {
  const methodId = z.uuid().parse(id);
  return ctx.cache.wrap(`shipping:method:${methodId}`, { tags: [SHIPPING_METHODS_TAG] }, async () => {
    const [row] = await ctx.db
      .select()
      .from(shippingMethods)
      .where(and(eq(shippingMethods.id, methodId), eq(shippingMethods.enabled, true)));
    return row ? toOption(row) : null;
  });
}

/** An update must change something, and leave the delivery estimate in order (its other half may be stored). */
function assertChange(patch: Omit<UpdateShippingMethodInput, "id">, found: MethodRow): void {
  const errors: FieldError[] = [];
  if (Object.values(patch).every((v) => v === undefined)) {
    errors.push({ path: "(root)", message: "Give at least one field to change" });
  }
  // Named for the half this patch sends (the maximum when both).
  const days = daysOutOfOrder(
    patch.estimatedDaysMin === undefined ? found.estimatedDaysMin : patch.estimatedDaysMin,
    patch.estimatedDaysMax === undefined ? found.estimatedDaysMax : patch.estimatedDaysMax,
    patch.estimatedDaysMax === undefined ? "estimatedDaysMin" : "estimatedDaysMax",
  );
  if (days) errors.push(days);
  if (errors.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Invalid input: ${errors.map((e) => e.path).join(", ")}`, { errors });
  }
}
