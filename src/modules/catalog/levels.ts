import { inventoryLedger, inventoryLevels } from "../../db/schema";
import { actorKey } from "../../lib/context";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";

export interface NewLevel {
  variantId: string;
  onHand: number;
  lowStockThreshold?: number;
}

/** Who a ledger row says made a change: `user:<id>`, `key:<id>` or `system:<name>`. */
export const ledgerActor = (tx: TxCtx): string => actorKey(tx.actor) ?? "guest";

/**
 * The stock rows of new variants, each with its opening ledger entry, so a level
 * equals the sum of its ledger from the first unit. Callers then call
 * productsChangedInTx (in stock is part of the listing).
 */
export async function createLevelsInTx(
  tx: TxCtx,
  levels: readonly NewLevel[],
  reason = "opening stock",
): Promise<void> {
  if (levels.length === 0) return;
  await tx.db
    .insert(inventoryLevels)
    .values(
      levels.map((l) => ({ variantId: l.variantId, onHand: l.onHand, lowStockThreshold: l.lowStockThreshold ?? 0 })),
    );
  const actor = ledgerActor(tx);
  await tx.db.insert(inventoryLedger).values(
    levels.map((l) => ({
      id: newId(),
      variantId: l.variantId,
      kind: "initial" as const,
      onHandDelta: l.onHand,
      onHandAfter: l.onHand,
      reservedAfter: 0,
      reason,
      actor,
    })),
  );
}
