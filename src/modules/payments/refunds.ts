import { eq } from "drizzle-orm";
import { orderLines, refunds } from "../../db/schema";
import { enqueue } from "../../jobs/enqueue";
import { requireStaff } from "../../lib/access";
import { actorKey, type Ctx } from "../../lib/context";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import type { AdminOrder } from "../orders/schemas";
import * as ordersService from "../orders/service";
import { executeRefundJob } from "./jobs";
import { executeRefund } from "./refund-execution";
import { type RefundRequest, refundAmount } from "./refund-rules";
import { RefundOrderInput } from "./schemas";

export interface StartRefund extends RefundRequest {
  orderId: string;
  reason: string;
}

/** The job runs this long after the refund, only if the call right after the commit did not finish it. */
const FALLBACK_DELAY_MS = 60_000;

/**
 * Starts a refund of a paid order (or of money that came after it was cancelled): checks what
 * may be given back, records the refund as pending and has the provider execute it right after
 * the commit, with a job as the fallback should this process die first. Returns the refund's id.
 */
export async function startRefundInTx(tx: TxCtx, input: StartRefund): Promise<string> {
  const order = await ordersService.lockOrder(tx, input.orderId);
  const [lines, held] = await Promise.all([
    input.items ? tx.db.select().from(orderLines).where(eq(orderLines.orderId, order.id)) : [],
    ordersService.heldByPendingRefundsInTx(tx, order.id),
  ]);
  const amount = refundAmount(order, lines, held, input);
  const id = newId();
  await tx.db.insert(refunds).values({
    id,
    orderId: order.id,
    amount,
    reason: input.reason,
    lines: (input.items ?? []).map((i) => ({ orderLineId: i.orderItemId, quantity: i.quantity })),
    restock: input.restock ?? false,
    actor: actorKey(tx.actor) ?? "guest",
  });
  await enqueue(
    tx,
    executeRefundJob,
    { refundId: id },
    { jobKey: `execute-refund:${id}`, runAt: new Date(Date.now() + FALLBACK_DELAY_MS) },
  );
  tx.afterCommit((committed) => executeRefund(committed, id));
  return id;
}

/**
 * Staff refund an order, fully or partly, by amount or by items (optionally restocking them).
 * Answers the order: the refund is done when the provider confirmed it right away (manual
 * refunds always are), still pending when the answer was recorded under an Idempotency-Key.
 */
export async function refundOrder(ctx: Ctx, raw: unknown): Promise<AdminOrder> {
  const { id, ...request } = RefundOrderInput.parse(raw);
  requireStaff(ctx.actor, "orders:write");
  await inTransaction(ctx, (tx) => startRefundInTx(tx, { orderId: id, ...request }));
  return ordersService.readAdminOrder(ctx, id);
}

/** What is left to give back of an order: paid, less refunded, less what refunds under way hold. */
export async function refundableInTx(
  tx: TxCtx,
  order: { id: string; paidAmount: number; refundedAmount: number },
): Promise<number> {
  const held = await ordersService.heldByPendingRefundsInTx(tx, order.id);
  return order.paidAmount - order.refundedAmount - held.amount;
}
