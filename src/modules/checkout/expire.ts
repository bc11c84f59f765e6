import { and, asc, eq, lte, sql } from "drizzle-orm";
import { orders } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { inTransaction } from "../../lib/transaction";
import { cancelInTx } from "./cancel";

const BATCH = 100;

/**
 * Cancels every unpaid order past its deadline (ORDER_PAYMENT_TIMEOUT_MINUTES), in
 * batches: their stock and promotion uses return. An order being paid right now is
 * locked by its payment and skipped; a payment that lands after the cancellation is
 * refunded (payments). Safe to run twice or side by side: each order is cancelled once.
 * Answers how many were cancelled.
 */
export async function expireOrders(ctx: Ctx): Promise<number> {
  let total = 0;
  for (;;) {
    const cancelled = await inTransaction(ctx, async (tx) => {
      const due = await tx.db
        .select()
        .from(orders)
        .where(and(eq(orders.status, "pending_payment"), lte(orders.expiresAt, sql`now()`)))
        .orderBy(asc(orders.expiresAt))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      for (const order of due) await cancelInTx(tx, order, "not paid in time");
      return due.length;
    });
    total += cancelled;
    if (cancelled < BATCH) return total;
  }
}
