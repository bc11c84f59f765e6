import { and, eq } from "drizzle-orm";
import { refunds } from "../../db/schema";
import type { TxCtx } from "../../lib/transaction";

/** What refunds still pending hold of an order: their amount, and the units they give back per line. */
export interface HeldByRefunds {
  amount: number;
  units: Map<string, number>;
}

/**
 * The order's refunds under way, summed: a unit they give back may be neither refunded again
 * nor sent (payments' refund rules, fulfillments). The caller holds the order's lock.
 */
export async function heldByPendingRefundsInTx(tx: TxCtx, orderId: string): Promise<HeldByRefunds> {
  const pending = await tx.db
    .select({ amount: refunds.amount, lines: refunds.lines })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), eq(refunds.status, "pending")));
  const units = new Map<string, number>();
  for (const line of pending.flatMap((r) => r.lines)) {
    units.set(line.orderLineId, (units.get(line.orderLineId) ?? 0) + line.quantity);
  }
  return { amount: pending.reduce((sum, r) => sum + r.amount, 0), units };
}
