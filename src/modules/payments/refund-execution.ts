import { eq, inArray, sql } from "drizzle-orm";
import { orderLines, orders, payments, refunds } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { PaymentProvider, ProviderRefund } from "../../lib/payments";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as catalog from "../catalog/service";
import * as ordersService from "../orders/service";
import { providerFor } from "./providers";

type OrderRow = typeof orders.$inferSelect;
type RefundRow = typeof refunds.$inferSelect;

/** What the provider said of a refund; `message` says why it refused one for good. */
export interface RefundAnswer extends ProviderRefund {
  message?: string;
}

/**
 * Asks the provider for a pending refund, with no transaction open, then records its answer.
 * Safe to run twice and concurrently: the provider's idempotency key is the refund id, and only
 * the run that finds the refund still pending, under the order's lock, records anything.
 */
export async function executeRefund(ctx: Ctx, refundId: string): Promise<void> {
  const [found] = await ctx.db
    .select({ refund: refunds, provider: orders.paymentProvider, paymentRef: payments.providerRef })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .leftJoin(payments, eq(payments.orderId, refunds.orderId))
    .where(eq(refunds.id, refundId));
  if (found?.refund.status !== "pending") return;
  const answer = await askProvider(providerFor(ctx.payments, found.provider), {
    paymentRef: found.paymentRef,
    amount: found.refund.amount,
    refundId,
    reason: found.refund.reason,
  });
  await inTransaction(ctx, async (tx) => {
    const order = await ordersService.lockOrder(tx, found.refund.orderId);
    const [refund] = await tx.db.select().from(refunds).where(eq(refunds.id, refundId)).for("update");
    if (refund?.status === "pending") await settleRefundInTx(tx, order, refund, answer);
  });
}

async function askProvider(provider: PaymentProvider, input: Parameters<PaymentProvider["refund"]>[0]) {
  try {
    return (await provider.refund(input)) as RefundAnswer;
  } catch (err) {
    // Refused for good: the refund closes as failed and its amount is refundable again. Anything else is retried.
    if (err instanceof AppError && err.code === "PAYMENT_FAILED") {
      return { ref: null, status: "failed", message: err.message } satisfies RefundAnswer;
    }
    throw err;
  }
}

/**
 * Records the provider's answer about one of our pending refunds (the order locked): booked once
 * it succeeded, closed with an event when it failed; a refund still under way at the provider only
 * gets its id (the provider's webhook settles it later).
 */
export async function settleRefundInTx(tx: TxCtx, order: OrderRow, refund: RefundRow, answer: RefundAnswer) {
  await tx.db
    .update(refunds)
    .set({ status: answer.status, providerRef: answer.ref ?? refund.providerRef, updatedAt: sql`now()` })
    .where(eq(refunds.id, refund.id));
  if (answer.status === "failed") {
    await ordersService.recordEventInTx(tx, order.id, {
      kind: "refund_failed",
      reason: answer.message ?? "The provider refused the refund",
      data: { refundId: refund.id, amount: refund.amount },
    });
  } else if (answer.status === "succeeded") {
    await bookRefundInTx(tx, order, refund);
  }
}

/**
 * Money given back, on the locked order: its refunded amount and items, the units back on the
 * shelf when asked (unless the order was cancelled meanwhile), its status (a cancelled order
 * stays cancelled), an event and a mail.
 */
export async function bookRefundInTx(
  tx: TxCtx,
  order: OrderRow,
  refund: Pick<RefundRow, "id" | "amount" | "lines" | "restock" | "reason">,
): Promise<void> {
  order.refundedAmount += refund.amount;
  await tx.db
    .update(orders)
    .set({ refundedAmount: order.refundedAmount, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  for (const line of refund.lines) {
    await tx.db
      .update(orderLines)
      .set({ refundedQuantity: sql`${orderLines.refundedQuantity} + ${line.quantity}` })
      .where(eq(orderLines.id, line.orderLineId));
  }
  // A cancellation put every unit back already: a refund booked after it (pending at the provider
  // then) restocking its items too would count them twice.
  if (refund.restock && refund.lines.length > 0 && order.status !== "cancelled") {
    await restockInTx(tx, order.id, refund.lines);
  }
  const data = { refundId: refund.id, amount: refund.amount };
  if (order.status !== "cancelled") {
    const to = order.refundedAmount >= order.paidAmount ? "refunded" : "partially_refunded";
    await ordersService.transitionInTx(tx, order, to, { reason: refund.reason || "refunded", data });
  }
  await ordersService.recordEventInTx(tx, order.id, {
    kind: "refund_recorded",
    reason: refund.reason,
    data: { ...data, items: refund.lines, restock: refund.restock },
  });
  await ordersService.enqueueOrderEmailInTx(tx, { orderId: order.id, kind: "refunded", refId: refund.id });
}

async function restockInTx(tx: TxCtx, orderId: string, lines: RefundRow["lines"]): Promise<void> {
  const variants = await tx.db
    .select({ id: orderLines.id, variantId: orderLines.variantId })
    .from(orderLines)
    .where(
      inArray(
        orderLines.id,
        lines.map((l) => l.orderLineId),
      ),
    );
  const variantOf = new Map(variants.map((v) => [v.id, v.variantId]));
  await catalog.restockInTx(tx, {
    orderId,
    lines: lines.flatMap((l) => {
      const variantId = variantOf.get(l.orderLineId);
      return variantId ? [{ variantId, quantity: l.quantity }] : [];
    }),
  });
}
