import { and, desc, eq, lt, not, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { inventoryLedger, inventoryLevels, products, variants } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { notFound, outOfStock, recordChangesInTx, refusal, type StockRow, updateLevelInTx } from "./inventory-changes";
import {
  AdjustInventoryInput,
  type InventoryLedgerEntry,
  type InventoryLedgerPage,
  type InventoryLevel,
  type InventoryLevelPage,
  ListInventoryInput,
  ListInventoryLedgerInput,
  SetInventoryInput,
} from "./inventory-schemas";

// Stock management for staff and integrations. Reads need catalog:read (stock is
// part of the catalog a read-only integration sees); changes need inventory:write.

const levelColumns = {
  variantId: inventoryLevels.variantId,
  sku: variants.sku,
  productId: variants.productId,
  productTitle: products.title,
  variantTitle: variants.title,
  onHand: inventoryLevels.onHand,
  reserved: inventoryLevels.reserved,
  lowStockThreshold: inventoryLevels.lowStockThreshold,
  updatedAt: inventoryLevels.updatedAt,
};
type LevelRow = Omit<InventoryLevel, "available" | "updatedAt"> & { updatedAt: Date };

const toLevel = (r: LevelRow): InventoryLevel => ({
  ...r,
  available: r.onHand - r.reserved,
  updatedAt: r.updatedAt.toISOString(),
});

const available = sql`(${inventoryLevels.onHand} - ${inventoryLevels.reserved})`;
const lowStock = sql`(${inventoryLevels.lowStockThreshold} > 0 and ${available} <= ${inventoryLevels.lowStockThreshold})`;

/** Stock levels, newest variants first, optionally only low, out of stock or one SKU. Staff, or catalog:read. */
export async function listInventory(ctx: Ctx, raw: z.input<typeof ListInventoryInput>): Promise<InventoryLevelPage> {
  requireStaff(ctx.actor, "catalog:read");
  const input = ListInventoryInput.parse(raw);
  const rows = await selectLevels(ctx)
    .where(
      and(
        levelsAfter(input.cursor),
        input.sku === undefined ? undefined : eq(variants.sku, input.sku),
        flag(input.lowStock, lowStock),
        flag(input.outOfStock, sql`${available} = 0`),
      ),
    )
    .orderBy(desc(inventoryLevels.variantId))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items: items.map(toLevel),
    nextCursor: rows.length > input.limit && last ? levelCursor(last.variantId) : null,
  };
}

/** Adds `delta` units (negative removes) with a reason; never below what is reserved (OUT_OF_STOCK). inventory:write. */
export async function adjustInventory(ctx: Ctx, raw: z.input<typeof AdjustInventoryInput>): Promise<InventoryLevel> {
  requireStaff(ctx.actor, "inventory:write");
  const { variantId, delta, reason } = AdjustInventoryInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const row = await updateLevelInTx(
      tx,
      variantId,
      { onHand: sql`${inventoryLevels.onHand} + ${delta}` },
      sql`${inventoryLevels.onHand} + ${delta} >= ${inventoryLevels.reserved}`,
    );
    if (!row) throw await refusal(tx, variantId, "delta");
    await recordChangesInTx(tx, [{ row, kind: "adjust", onHandDelta: delta, reservedDelta: 0, reason }]);
    return withStock(await readLevel(tx, variantId), row);
  });
}

/**
 * Sets the counted `onHand` (a stock take), and the low-stock threshold when given; the ledger gets the
 * difference. Never below what is reserved (OUT_OF_STOCK). inventory:write.
 */
export async function setInventory(ctx: Ctx, raw: z.input<typeof SetInventoryInput>): Promise<InventoryLevel> {
  requireStaff(ctx.actor, "inventory:write");
  const { variantId, onHand, lowStockThreshold, reason } = SetInventoryInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // Locked first: the ledger needs the count this replaces, and nobody may change it meanwhile.
    const current = await readLevel(tx, variantId, { lock: true });
    if (onHand < current.reserved) {
      throw outOfStock(current, "onHand", `At least ${current.reserved}: that many units are reserved`);
    }
    const row = await updateLevelInTx(tx, variantId, {
      onHand,
      ...(lowStockThreshold !== undefined && { lowStockThreshold }),
    });
    if (!row) throw notFound();
    await recordChangesInTx(tx, [{ row, kind: "set", onHandDelta: onHand - current.onHand, reservedDelta: 0, reason }]);
    return withStock(current, row);
  });
}

/** A variant's stock changes, newest first. Staff, or catalog:read. */
export async function listInventoryLedger(
  ctx: Ctx,
  raw: z.input<typeof ListInventoryLedgerInput>,
): Promise<InventoryLedgerPage> {
  requireStaff(ctx.actor, "catalog:read");
  const input = ListInventoryLedgerInput.parse(raw);
  const [variant] = await ctx.db.select({ id: variants.id }).from(variants).where(eq(variants.id, input.variantId));
  if (!variant) throw notFound();
  const rows = await ctx.db
    .select({
      id: inventoryLedger.id,
      kind: inventoryLedger.kind,
      onHandDelta: inventoryLedger.onHandDelta,
      reservedDelta: inventoryLedger.reservedDelta,
      onHandAfter: inventoryLedger.onHandAfter,
      reservedAfter: inventoryLedger.reservedAfter,
      reason: inventoryLedger.reason,
      actor: inventoryLedger.actor,
      orderId: inventoryLedger.orderId,
      createdAt: inventoryLedger.createdAt,
      pageKey: pageKey(inventoryLedger),
    })
    .from(inventoryLedger)
    .where(and(eq(inventoryLedger.variantId, input.variantId), after(inventoryLedger, input.cursor)))
    .orderBy(...newestFirst(inventoryLedger))
    .limit(input.limit + 1);
  return toPage(
    rows,
    input.limit,
    ({ pageKey: _, createdAt, ...entry }): InventoryLedgerEntry => ({
      ...entry,
      createdAt: createdAt.toISOString(),
    }),
  );
}

const selectLevels = (ctx: Ctx) =>
  ctx.db
    .select(levelColumns)
    .from(inventoryLevels)
    .innerJoin(variants, eq(variants.id, inventoryLevels.variantId))
    .innerJoin(products, eq(products.id, variants.productId));

/** One variant's level, locked for this transaction when asked. NOT_FOUND without one. */
async function readLevel(tx: TxCtx, variantId: string, opts: { lock?: boolean } = {}): Promise<LevelRow> {
  const query = selectLevels(tx).where(eq(inventoryLevels.variantId, variantId));
  const [row] = await (opts.lock ? query.for("update", { of: inventoryLevels }) : query);
  if (!row) throw notFound();
  return row;
}

const withStock = (level: LevelRow, row: StockRow): InventoryLevel =>
  toLevel({
    ...level,
    onHand: row.onHand,
    reserved: row.reserved,
    lowStockThreshold: row.lowStockThreshold,
    updatedAt: row.updatedAt,
  });

/** A filter that is on (`when`), off (its negation) or absent. */
const flag = (value: boolean | undefined, when: SQL): SQL | undefined =>
  value === undefined ? undefined : value ? when : not(when);

// Levels page by variant id, newest first (ids are UUIDv7): the primary key serves the order.
const LevelCursor = z.strictObject({ variantId: z.uuid() });

const levelCursor = (variantId: string) => Buffer.from(JSON.stringify({ variantId })).toString("base64url");

function levelsAfter(cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  let key: z.infer<typeof LevelCursor>;
  try {
    key = LevelCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("VALIDATION_FAILED", "Invalid input: cursor", {
      errors: [{ path: "cursor", message: "Not a cursor from this list" }],
    });
  }
  return lt(inventoryLevels.variantId, key.variantId);
}
