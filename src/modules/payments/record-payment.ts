import { eq, sql } from "drizzle-orm";
import { orderLines, orders } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as catalog from "../catalog/service";
import type { AdminOrder } from "../orders/schemas";
import * as ordersService from "../orders/service";
import { markSucceededInTx } from "./payment-rows";
import { startRefundInTx } from "./refunds";
import { MarkPaidInput } from "./schemas";

export interface PaymentSucceeded {
  orderId: string;
  /** What the provider took, in minor units, and in which currency (any case). */
  amount: number;
  currency: string;
  /** The provider's payment id; null for manual payments. */
  ref: string | null;
}

/**
 * Books money the provider confirmed (domain.md "Payments"), once: a second confirmation of a paid
 * order changes nothing. A payment of another amount or currency never pays the order (an event
 * says so, for staff). Money for an order cancelled or expired meanwhile is recorded and refunded
 * at once. Otherwise the order is paid: its reservation becomes a sale (on hand and reserved drop)
 * and the customer is mailed.
 */
export async function recordPaymentSucceededInTx(tx: TxCtx, input: PaymentSucceeded): Promise<void> {
  const order = await ordersService.lockOrder(tx, input.orderId);
  if (order.paidAt) return;
  const currency = input.currency.toUpperCase();
  const data = { amount: input.amount, currency, ref: input.ref };
  if (input.amount !== order.total || currency !== order.currency) {
    await ordersService.recordEventInTx(tx, order.id, {
      kind: "payment_mismatch",
      reason: `Paid ${input.amount} ${currency} for an order of ${order.total} ${order.currency}: not marked paid`,
      data,
    });
    return;
  }
  const paid = { paidAmount: input.amount, paidAt: new Date(), expiresAt: null };
  await markSucceededInTx(tx, order, input.ref);
  if (order.status === "cancelled") {
    await tx.db
      .update(orders)
      .set({ ...paid, updatedAt: sql`now()` })
      .where(eq(orders.id, order.id));
    await ordersService.recordEventInTx(tx, order.id, {
      kind: "payment_after_cancel",
      reason: "Paid after the order was cancelled: refunded automatically",
      data,
    });
    await startRefundInTx(tx, { orderId: order.id, reason: "paid after cancellation" });
    return;
  }
  await ordersService.transitionInTx(tx, order, "paid", { reason: "payment received", data, set: paid });
  const lines = await tx.db
    .select({ variantId: orderLines.variantId, quantity: orderLines.quantity })
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id));
  if (lines.length > 0) await catalog.commitInTx(tx, { orderId: order.id, lines });
  await ordersService.enqueueOrderEmailInTx(tx, { orderId: order.id, kind: "payment_received" });
}

/** Staff confirm a manual payment (a bank transfer arrived): the order is paid as if a provider said so. */
export async function markOrderPaid(ctx: Ctx, raw: unknown): Promise<AdminOrder> {
  const { id } = MarkPaidInput.parse(raw);
  requireStaff(ctx.actor, "orders:write");
  return inTransaction(ctx, async (tx) => {
    const order = await ordersService.lockOrder(tx, id);
    if (order.paymentProvider !== "manual") {
      throw new AppError("CONFLICT", `This order is paid through ${order.paymentProvider}, not marked paid by hand`, {
        provider: order.paymentProvider,
      });
    }
    ordersService.assertCanBecome(order.status, "paid");
    await recordPaymentSucceededInTx(tx, { orderId: id, amount: order.total, currency: order.currency, ref: null });
    return ordersService.readAdminOrder(tx, id);
  });
}
