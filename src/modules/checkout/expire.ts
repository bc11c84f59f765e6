import { and, asc, eq, lte, notInArray, sql } from "drizzle-orm";
import { orders } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { inTransaction } from "../../lib/transaction";
import { cancelInTx } from "./cancel";

const BATCH = 100;

/**
 * Cancels every unpaid order past its deadline (ORDER_PAYMENT_TIMEOUT_MINUTES): their stock and
 * promotion uses return. Each order in a transaction of its own, so its stock locks are taken in
 * variant order as a checkout takes them (a batch in one transaction would lock across orders in
 * any order, and one failure would hold back all the others at every run). An order being paid
 * right now is locked by its payment and skipped; a payment that lands after the cancellation is
 * refunded (payments). Safe to run twice or side by side: each order is cancelled once.
 * Answers how many were cancelled.
 */
export async function expireOrders(ctx: Ctx): Promise<number> {
  let total = 0;
  // Skipped (locked) or failed in this run: left for the next one.
  const passed: string[] = [];
  for (;;) {
    const due = await ctx.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(isDue, passed.length > 0 ? notInArray(orders.id, passed) : undefined))
      .orderBy(asc(orders.expiresAt))
      .limit(BATCH);
    for (const { id } of due) {
      const cancelled = await expireOne(ctx, id).catch((err: unknown) => {
        ctx.log.error({ err, orderId: id }, "could not expire the order: the next run tries again");
        return false;
      });
      if (cancelled) total++;
      else passed.push(id);
    }
    if (due.length < BATCH) return total;
  }
}

const isDue = and(eq(orders.status, "pending_payment"), lte(orders.expiresAt, sql`now()`));

/** One order, if it is still due and nobody holds it. */
function expireOne(ctx: Ctx, id: string): Promise<boolean> {
  return inTransaction(ctx, async (tx) => {
    const [order] = await tx.db
      .select()
      .from(orders)
      .where(and(eq(orders.id, id), isDue))
      .for("update", { skipLocked: true });
    if (!order) return false;
    await cancelInTx(tx, order, "not paid in time");
    return true;
  });
}
