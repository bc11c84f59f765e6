import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { orderLines, type orders } from "../../db/schema";
import { requireStaff, requireUser } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as catalog from "../catalog/service";
import { CancelOrderInput } from "../orders/schemas";
import * as ordersModule from "../orders/service";
import * as payments from "../payments/service";
import * as promotions from "../promotions/service";

type OrderRow = typeof orders.$inferSelect;

/** The signed-in customer cancels one of their unpaid orders (a paid one is the merchant's to cancel and refund). */
export async function cancelMyOrder(ctx: Ctx, raw: z.input<typeof CancelOrderInput>) {
  const input = CancelOrderInput.parse(raw);
  const userId = requireUser(ctx.actor);
  await inTransaction(ctx, async (tx) => {
    const order = await ordersModule.lockOrder(tx, input.id);
    if (order.customerId !== userId) throw new AppError("NOT_FOUND", "Order not found");
    if (order.status !== "pending_payment") {
      throw new AppError("CONFLICT", "Only an unpaid order can be cancelled here: contact the store", {
        orderStatus: order.status,
      });
    }
    await cancelInTx(tx, order, input.reason ?? "cancelled by the customer");
  });
  return ordersModule.readOrder(ctx, input.id);
}

/** Staff cancel an unpaid or paid (not yet shipped) order; a paid one is refunded in full. */
export async function cancelOrder(ctx: Ctx, raw: z.input<typeof CancelOrderInput>) {
  const input = CancelOrderInput.parse(raw);
  requireStaff(ctx.actor, "orders:write");
  await inTransaction(ctx, async (tx) => {
    const order = await ordersModule.lockOrder(tx, input.id);
    await cancelInTx(tx, order, input.reason ?? "cancelled by the store");
  });
  return ordersModule.readAdminOrder(ctx, input.id);
}

/**
 * Cancels a locked order (domain.md "Orders"): its units go back to stock (released
 * when unpaid, restocked when paid), its promotion uses return to their limits, an
 * unpaid order's provider payment is cancelled and a paid one refunded (both after the
 * commit), and the cancellation mail is queued. Throws 409 from the state machine
 * when the order cannot be cancelled, and when some of it was sent already.
 */
export async function cancelInTx(tx: TxCtx, order: OrderRow, reason: string): Promise<void> {
  ordersModule.assertCanBecome(order.status, "cancelled");
  const lines = await tx.db
    .select({ variantId: orderLines.variantId, quantity: orderLines.quantity, sent: orderLines.fulfilledQuantity })
    .from(orderLines)
    .where(eq(orderLines.orderId, order.id))
    .orderBy(asc(orderLines.position));
  // A paid order stays `paid` while only some of it is sent. Those units are with the customer:
  // putting them back on the shelf would offer units the store no longer has. It is refunded instead.
  if (lines.some((l) => l.sent > 0)) {
    throw new AppError("CONFLICT", "Part of this order has been sent: refund it instead", {
      orderStatus: order.status,
    });
  }
  const unpaid = order.status === "pending_payment";
  // The ledger's and the refund's reason, within the ledger's 200 characters.
  const why = `order cancelled: ${reason}`.slice(0, 200);
  const movement = {
    orderId: order.id,
    lines: lines.map(({ variantId, quantity }) => ({ variantId, quantity })),
    reason: why,
  };
  if (unpaid) await catalog.releaseInTx(tx, movement);
  else await catalog.restockInTx(tx, movement);
  for (const used of order.promotions) {
    await promotions.releaseInTx(tx, { promotionId: used.promotionId, orderId: order.id });
  }
  await ordersModule.transitionInTx(tx, order, "cancelled", {
    reason,
    set: { cancelledAt: sql`now()`, expiresAt: null },
  });
  if (unpaid) await payments.cancelPaymentInTx(tx, order.id);
  // Cancelled with money in: all of it goes back (the refund sees a cancelled order holding a payment),
  // less what refunds under way hold already.
  if ((await payments.refundableInTx(tx, order)) > 0) {
    await payments.startRefundInTx(tx, { orderId: order.id, reason: why });
  }
  await ordersModule.enqueueOrderEmailInTx(tx, { orderId: order.id, kind: "cancelled" });
}
