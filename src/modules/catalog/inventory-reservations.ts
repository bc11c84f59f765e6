import { type SQL, sql } from "drizzle-orm";
import { type InventoryChangeKind, inventoryLevels } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { recordChangesInTx, refusal, type StockChange, updateLevelInTx } from "./inventory-changes";
import { StockMovementInput } from "./inventory-schemas";

// An order's stock (domain.md "Inventory"): checkout reserves, payment commits
// (on hand and reserved both drop), cancel or expiry releases. For the checkout
// and orders modules, inside their transactions; the caller has checked access.

const { onHand, reserved } = inventoryLevels;

interface Movement {
  kind: InventoryChangeKind;
  /** The default ledger reason. */
  reason: string;
  onHandDelta: (q: number) => number;
  reservedDelta: (q: number) => number;
  /** The condition the row must meet for `q` units, checked on the locked row. */
  allowed: (q: number) => SQL;
}

const MOVEMENTS = {
  reserve: {
    kind: "reserve",
    reason: "checkout",
    onHandDelta: () => 0,
    reservedDelta: (q) => q,
    allowed: (q) => sql`${onHand} - ${reserved} >= ${q}`,
  },
  release: {
    kind: "release",
    reason: "order cancelled",
    onHandDelta: () => 0,
    reservedDelta: (q) => -q,
    allowed: (q) => sql`${reserved} >= ${q}`,
  },
  commit: {
    kind: "commit",
    reason: "order paid",
    onHandDelta: (q) => -q,
    reservedDelta: (q) => -q,
    allowed: (q) => sql`${reserved} >= ${q}`,
  },
  restock: {
    kind: "restock",
    reason: "order refunded",
    onHandDelta: (q) => q,
    reservedDelta: () => 0,
    allowed: () => sql`true`,
  },
} satisfies Record<string, Movement>;

/** Holds the lines' units for an order: all lines or none (OUT_OF_STOCK names the line short of stock). */
export const reserveInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.reserve, input);

/** Gives back units an order held (cancelled or expired unpaid). */
export const releaseInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.release, input);

/** An order was paid: its held units leave the warehouse (on hand and reserved both drop). */
export const commitInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.commit, input);

/** Units of a paid order come back to the shelf (cancelled after payment, refunded with restocking). */
export const restockInTx = (tx: TxCtx, input: StockMovementInput) => moveInTx(tx, MOVEMENTS.restock, input);

async function moveInTx(outer: TxCtx, movement: Movement, raw: StockMovementInput): Promise<void> {
  const input = StockMovementInput.parse(raw);
  const lines = mergedInOrder(input.lines);
  // A savepoint: a refused line undoes the lines before it, even if the caller goes on.
  await inTransaction(outer, async (tx) => {
    const changes: StockChange[] = [];
    for (const line of lines) {
      const row = await updateLevelInTx(
        tx,
        line.variantId,
        {
          onHand: sql`${onHand} + ${movement.onHandDelta(line.quantity)}`,
          reserved: sql`${reserved} + ${movement.reservedDelta(line.quantity)}`,
        },
        movement.allowed(line.quantity),
      );
      if (!row) throw await refused(tx, movement, line);
      changes.push({
        row,
        kind: movement.kind,
        onHandDelta: movement.onHandDelta(line.quantity),
        reservedDelta: movement.reservedDelta(line.quantity),
        reason: input.reason ?? movement.reason,
        orderId: input.orderId,
      });
    }
    await recordChangesInTx(tx, changes);
  });
}

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

async function refused(tx: TxCtx, movement: Movement, line: { variantId: string; index: number }): Promise<AppError> {
  const field = `lines.${line.index}.quantity`;
  const why = await refusal(tx, line.variantId, field);
  if (movement.kind === "reserve" || why.code === "NOT_FOUND") return why;
  // Releasing or committing more than the order holds: the caller's books disagree with the ledger's.
  return new AppError("CONFLICT", `Fewer units are reserved for variant ${line.variantId} than asked for`, {
    variantId: line.variantId,
    errors: [{ path: field, message: "More than is reserved" }],
  });
}
