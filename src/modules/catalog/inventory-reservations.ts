import { sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import type { InventoryChangeKind } from "../../db/schema";
import { statement } from "../../db/statement";
import { AppError } from "../../lib/errors";
import type { TxCtx } from "../../lib/transaction";
import { notFound, outOfStock, recordChangesInTx, type StockChange } from "./inventory-changes";
import { StockMovementInput } from "./inventory-schemas";

// An order's stock (domain.md "Inventory"): checkout reserves, payment commits
// (on hand and reserved both drop), cancel or expiry releases. For the checkout
// and orders modules, inside their transactions; the caller has checked access.

interface Movement {
  kind: InventoryChangeKind;
  /** The default ledger reason. */
  reason: string;
  /** What one unit does to on hand and to reserved. */
  onHand: -1 | 0 | 1;
  reserved: -1 | 0 | 1;
  /** Whether a level may move by `q` units, judged on the locked row. */
  allows(level: Level, q: number): boolean;
}

interface Level {
  variantId: string;
  onHand: number;
  reserved: number;
}

const MOVEMENTS = {
  reserve: {
    kind: "reserve",
    reason: "checkout",
    onHand: 0,
    reserved: 1,
    allows: (l, q) => l.onHand - l.reserved >= q,
  },
  release: { kind: "release", reason: "order cancelled", onHand: 0, reserved: -1, allows: (l, q) => l.reserved >= q },
  commit: { kind: "commit", reason: "order paid", onHand: -1, reserved: -1, allows: (l, q) => l.reserved >= q },
  restock: { kind: "restock", reason: "order refunded", onHand: 1, reserved: 0, allows: () => true },
} satisfies Record<string, Movement>;

/** Holds the lines' units for an order: all lines or none (OUT_OF_STOCK names the line short of stock). */
export const reserveInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.reserve, input);

/** Gives back units an order held (cancelled or expired unpaid). */
export const releaseInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.release, input);

/** An order was paid: its held units leave the warehouse (on hand and reserved both drop). */
export const commitInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.commit, input);

/** Units of a paid order come back to the shelf (cancelled after payment, refunded with restocking). */
export const restockInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.restock, input);

/**
 * Two statements whatever the number of lines, all lines or none: the levels are locked in
 * variant id order (two checkouts sharing variants queue instead of deadlocking) and judged as
 * locked, then, only if every line may move, updated together. Held, they cannot change in
 * between; a refusal has changed nothing, even for a caller that goes on in its transaction.
 */
async function moveInTx(tx: TxCtx, movement: Movement, raw: StockMovementInput): Promise<void> {
  const input = StockMovementInput.parse(raw);
  const lines = mergedInOrder(input.lines);
  const variantIds = lines.map((l) => l.variantId);
  const levels = new Map((await lockLevels(tx.db, { variantIds })).map((l) => [l.variantId, l]));
  for (const line of lines) {
    const level = levels.get(line.variantId);
    if (!level || !movement.allows(level, line.quantity)) throw refused(movement, line, level);
  }
  const onHandDeltas = lines.map((l) => movement.onHand * l.quantity);
  const reservedDeltas = lines.map((l) => movement.reserved * l.quantity);
  const rows = await moveLevels(tx.db, { variantIds, onHandDeltas, reservedDeltas });
  const byVariant = new Map(rows.map((r) => [r.variantId, r]));
  const changes: StockChange[] = lines.map((line, i) => ({
    row: byVariant.get(line.variantId) as StockChange["row"],
    kind: movement.kind,
    onHandDelta: onHandDeltas[i] ?? 0,
    reservedDelta: reservedDeltas[i] ?? 0,
    reason: input.reason ?? movement.reason,
    orderId: input.orderId,
  }));
  await recordChangesInTx(tx, changes);
}

const lockLevels = statement<"variantIds", Level & Record<string, unknown>>(
  ["variantIds"],
  (p) => sql`${PREPARED}
    select variant_id as "variantId", on_hand as "onHand", reserved from inventory_levels
    where variant_id = any(${p.variantIds}::uuid[]) order by variant_id for update`,
);

const moveLevels = statement<
  "variantIds" | "onHandDeltas" | "reservedDeltas",
  StockChange["row"] & Record<string, unknown>
>(
  ["variantIds", "onHandDeltas", "reservedDeltas"],
  (p) => sql`${PREPARED}
    update inventory_levels l
    set on_hand = l.on_hand + d.on_hand, reserved = l.reserved + d.reserved, updated_at = now()
    from unnest(${p.variantIds}::uuid[], ${p.onHandDeltas}::int[], ${p.reservedDeltas}::int[]) as d(variant_id, on_hand, reserved)
    where l.variant_id = d.variant_id
    returning l.variant_id as "variantId", (select v.product_id from variants v where v.id = l.variant_id) as "productId",
      l.on_hand as "onHand", l.reserved, l.low_stock_threshold as "lowStockThreshold"`,
);

/**
 * One line per variant, in variant id order: every transaction takes its row
 * locks in the same order, so two checkouts sharing variants queue instead of
 * deadlocking. `index` is the first input line of the variant, for errors.
 */
function mergedInOrder(lines: readonly { variantId: string; quantity: number }[]) {
  const merged = new Map<string, { variantId: string; quantity: number; index: number }>();
  lines.forEach((l, index) => {
    const seen = merged.get(l.variantId);
    if (seen) seen.quantity += l.quantity;
    else merged.set(l.variantId, { ...l, index });
  });
  return [...merged.values()].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
}

function refused(movement: Movement, line: { variantId: string; index: number }, level: Level | undefined): AppError {
  const field = `lines.${line.index}.quantity`;
  if (!level) return notFound();
  if (movement.kind === "reserve") return outOfStock(level, field);
  // Releasing or committing more than the order holds: the caller's books disagree with the ledger's.
  return new AppError("CONFLICT", `Fewer units are reserved for variant ${line.variantId} than asked for`, {
    variantId: line.variantId,
    errors: [{ path: field, message: "More than is reserved" }],
  });
}
