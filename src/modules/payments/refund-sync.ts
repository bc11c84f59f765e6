import { eq } from "drizzle-orm";
import { refunds } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";
import * as ordersService from "../orders/service";
import type { ListedRefund } from "./providers/stripe";
import { bookRefundInTx, settleRefundInTx } from "./refund-execution";

const OUTSIDE_REASON = "refunded in Stripe";

/**
 * Brings the order's refunds in line with the provider's list: ours still pending are settled
 * (the provider finished them), and refunds made outside Cartwright (Stripe's dashboard) are
 * recorded once, by their `re_...` id. One of ours is known by that id or by our refund id in its
 * metadata, so a refund whose webhook beats our own recording of it is never counted twice.
 */
export async function syncRefundsInTx(tx: TxCtx, orderId: string, listed: readonly ListedRefund[]): Promise<void> {
  const order = await ordersService.lockOrder(tx, orderId);
  const ours = await tx.db.select().from(refunds).where(eq(refunds.orderId, orderId)).for("update");
  for (const refund of listed) {
    const mine = ours.find((r) => r.providerRef === refund.ref || r.id === refund.refundId);
    if (mine) {
      if (mine.status === "pending" && refund.status !== "pending") {
        await settleRefundInTx(tx, order, mine, { ref: refund.ref, status: refund.status });
      }
      continue;
    }
    // Never more than is left of the payment: the books keep refunded <= paid whatever the provider lists.
    const amount = Math.min(refund.amount, order.paidAmount - order.refundedAmount);
    if (refund.status !== "succeeded" || amount <= 0) continue;
    const outside = { id: newId(), amount, lines: [], restock: false, reason: OUTSIDE_REASON };
    await tx.db.insert(refunds).values({
      ...outside,
      orderId,
      status: "succeeded",
      providerRef: refund.ref,
      actor: "system:stripe-webhook",
    });
    await bookRefundInTx(tx, order, outside);
  }
}
