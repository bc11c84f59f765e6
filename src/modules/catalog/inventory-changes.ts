import { and, eq, type SQL, sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import { type InventoryChangeKind, inventoryLevels } from "../../db/schema";
import { statement } from "../../db/statement";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";
import { alertOnCrossingsInTx } from "./inventory-alerts";
import { ledgerActor } from "./levels";
import { productsChangedInTx } from "./listing";

// The one way stock changes (domain.md "Inventory"): a conditional update of the
// level, then its ledger entry, alerts and listing in the same transaction, so a
// level always equals the sum of its ledger.

/** A level as an update leaves it, with its product (whose listing follows it). */
export interface StockRow {
  variantId: string;
  productId: string;
  onHand: number;
  reserved: number;
  lowStockThreshold: number;
  updatedAt: Date;
}

const stockColumns = {
  variantId: inventoryLevels.variantId,
  productId: sql<string>`(select v.product_id from variants v where v.id = ${inventoryLevels.variantId})`,
  onHand: inventoryLevels.onHand,
  reserved: inventoryLevels.reserved,
  lowStockThreshold: inventoryLevels.lowStockThreshold,
  updatedAt: inventoryLevels.updatedAt,
};

type LevelSet = Partial<Record<"onHand" | "reserved" | "lowStockThreshold", number | SQL>>;

/**
 * One statement: sets the level of `variantId` only where `allowed` holds on the
 * row as it is when locked. Concurrent callers queue on the row and each sees the
 * previous one's result, so no update is lost and no check reads a stale value.
 * Undefined: no such level, or `allowed` refused it.
 */
export async function updateLevelInTx(
  tx: TxCtx,
  variantId: string,
  set: LevelSet,
  allowed?: SQL,
): Promise<StockRow | undefined> {
  const [row] = await tx.db
    .update(inventoryLevels)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(inventoryLevels.variantId, variantId), allowed))
    .returning(stockColumns);
  return row;
}

export interface StockChange {
  row: Omit<StockRow, "updatedAt">;
  kind: InventoryChangeKind;
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  orderId?: string;
}

/**
 * After levels changed in this transaction: their ledger entries, a low-stock
 * alert for each that crossed its threshold, and their products' listing
 * (in stock) and caches.
 */
export async function recordChangesInTx(tx: TxCtx, changes: readonly StockChange[]): Promise<void> {
  if (changes.length === 0) return;
  const actor = ledgerActor(tx);
  const entries = changes.map((c) => ({ ...c, id: newId() }));
  await insertEntries(tx.db, {
    ids: entries.map((e) => e.id),
    variantIds: entries.map((e) => e.row.variantId),
    kinds: entries.map((e) => e.kind),
    onHandDeltas: entries.map((e) => e.onHandDelta),
    reservedDeltas: entries.map((e) => e.reservedDelta),
    onHandAfter: entries.map((e) => e.row.onHand),
    reservedAfter: entries.map((e) => e.row.reserved),
    reasons: entries.map((e) => e.reason),
    actor,
    orderIds: entries.map((e) => e.orderId ?? null),
  });
  const moves = entries.map((e) => ({
    ledgerEntryId: e.id,
    variantId: e.row.variantId,
    productId: e.row.productId,
    availableAfter: e.row.onHand - e.row.reserved,
    availableBefore: e.row.onHand - e.onHandDelta - (e.row.reserved - e.reservedDelta),
    threshold: e.row.lowStockThreshold,
  }));
  await alertOnCrossingsInTx(tx, moves);
  await productsChangedInTx(
    tx,
    moves.map((m) => m.productId),
    {
      stockOnly: true,
      crossedZero: moves.filter((m) => m.availableBefore > 0 !== m.availableAfter > 0).map((m) => m.productId),
    },
  );
}

// One statement for any number of entries, built once (db/statement.ts). Each entry is stamped with
// the time of its change, not of the transaction's start: a writer that queued for the row sorts
// after the one it waited for, so the ledger reads in the order the level moved.
const insertEntries = statement(
  [
    "ids",
    "variantIds",
    "kinds",
    "onHandDeltas",
    "reservedDeltas",
    "onHandAfter",
    "reservedAfter",
    "reasons",
    "actor",
    "orderIds",
  ],
  (p) => sql`${PREPARED}
    insert into inventory_ledger
      (id, variant_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, actor, order_id, created_at)
    select e.id, e.variant_id, e.kind, e.on_hand_delta, e.reserved_delta, e.on_hand_after, e.reserved_after, e.reason,
      ${p.actor}::text, e.order_id, clock_timestamp()
    from unnest(${p.ids}::uuid[], ${p.variantIds}::uuid[], ${p.kinds}::text[], ${p.onHandDeltas}::int[],
      ${p.reservedDeltas}::int[], ${p.onHandAfter}::int[], ${p.reservedAfter}::int[], ${p.reasons}::text[], ${p.orderIds}::uuid[])
      as e(id, variant_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason, order_id)`,
);

/** Why a conditional update touched nothing: no such variant (404), or too few units (409). */
export async function refusal(tx: TxCtx, variantId: string, field: string): Promise<AppError> {
  const [level] = await tx.db
    .select({ onHand: inventoryLevels.onHand, reserved: inventoryLevels.reserved })
    .from(inventoryLevels)
    .where(eq(inventoryLevels.variantId, variantId));
  return level ? outOfStock(level, field) : notFound();
}

/** OUT_OF_STOCK saying what is available, on the field that asked for more. */
export function outOfStock(
  level: { onHand: number; reserved: number },
  field: string,
  why = `Only ${level.onHand - level.reserved} available`,
): AppError {
  const available = level.onHand - level.reserved;
  return new AppError("OUT_OF_STOCK", `Not enough stock: ${available} available, ${level.reserved} reserved`, {
    available,
    errors: [{ path: field, message: why }],
  });
}

export const notFound = () => new AppError("NOT_FOUND", "Variant not found");
