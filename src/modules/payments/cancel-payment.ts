import { eq } from "drizzle-orm";
import { payments } from "../../db/schema";
import { enqueue } from "../../jobs/enqueue";
import type { Ctx } from "../../lib/context";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as ordersService from "../orders/service";
import { cancelPaymentJob } from "./jobs";
import { movePaymentInTx, paymentOf } from "./payment-rows";
import { providerFor } from "./providers";
import { recordPaymentSucceededInTx } from "./record-payment";

/**
 * An unpaid order is being cancelled (by someone, or by expiry): its payment is cancelled at the
 * provider by a job after the commit, with no transaction open. A payment never made there
 * (manual, or its creation failed) is marked canceled at once.
 */
export async function cancelPaymentInTx(tx: TxCtx, orderId: string): Promise<void> {
  const [row] = await tx.db.select().from(payments).where(eq(payments.orderId, orderId)).for("update");
  if (!row || (row.status !== "pending" && row.status !== "failed")) return;
  if (!row.providerRef) {
    await movePaymentInTx(tx, orderId, "canceled");
    return;
  }
  await enqueue(tx, cancelPaymentJob, { orderId }, { jobKey: `cancel-payment:${orderId}` });
}

/**
 * The cancel-payment job: cancels the provider's payment unless it succeeded meanwhile (a
 * shopper paying as the order lapsed), in which case the money is booked, and refunded at once
 * since the order is cancelled. Safe to run twice.
 */
export async function cancelProviderPayment(ctx: Ctx, orderId: string): Promise<void> {
  const row = await paymentOf(ctx, orderId);
  if (!row?.providerRef || (row.status !== "pending" && row.status !== "failed")) return;
  const provider = providerFor(ctx.payments, row.provider);
  const now = await provider.retrievePayment(row.providerRef);
  if (now.status === "succeeded") {
    const paid = { orderId, amount: now.amount, currency: now.currency, ref: now.ref };
    await inTransaction(ctx, (tx) => recordPaymentSucceededInTx(tx, paid));
    return;
  }
  if (now.status !== "canceled") await provider.cancelPayment(row.providerRef);
  await inTransaction(ctx, async (tx) => {
    if (await movePaymentInTx(tx, orderId, "canceled")) {
      await ordersService.recordEventInTx(tx, orderId, { kind: "payment_canceled", reason: "order cancelled" });
    }
  });
}
