import { z } from "zod";
import { enqueue } from "../../jobs/enqueue";
import { defineJob } from "../../jobs/job";
import type { TxCtx } from "../../lib/transaction";

const ORDER_EMAIL_KINDS = ["confirmation", "payment_received", "shipped", "cancelled", "refunded"] as const;

export const OrderEmailPayload = z.object({
  orderId: z.uuid(),
  kind: z.enum(ORDER_EMAIL_KINDS),
  /** The fulfillment or refund the mail is about, for `shipped` and `refunded`. */
  refId: z.uuid().optional(),
});
export type OrderEmailPayload = z.infer<typeof OrderEmailPayload>;

/** A mail to the order's email about one event of it; sent at most once per event (its `email_sends` key). */
export const sendOrderEmailJob = defineJob("send-order-email", OrderEmailPayload);

/** The key an order email is recorded under: one mail per order, kind and fulfillment or refund. */
export const orderEmailKey = (p: OrderEmailPayload): string =>
  `order:${p.orderId}:${p.kind}${p.refId ? `:${p.refId}` : ""}`;

/**
 * Queues the mail in the transaction of the change it tells about: no change, no mail; no mail lost.
 * No job key: each event is queued once, by the transition it tells about, and `email_sends` keeps
 * a second run from mailing twice (a keyed add_job costs a checkout about twice an unkeyed one).
 */
export const enqueueOrderEmailInTx = (tx: TxCtx, payload: OrderEmailPayload) => enqueue(tx, sendOrderEmailJob, payload);
