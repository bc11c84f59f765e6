import { z } from "zod";
import { defineJob } from "../../jobs/job";

/**
 * Asks the provider for a pending refund and records its answer. Enqueued with the refund as a
 * fallback for the call made right after the commit: the provider's idempotency key (the refund
 * id) and the refund's status make a second run change nothing.
 */
export const executeRefundJob = defineJob("execute-refund", z.object({ refundId: z.uuid() }).strict());

/** Cancels an unpaid order's payment at its provider, then marks the payment row canceled. */
export const cancelPaymentJob = defineJob("cancel-payment", z.object({ orderId: z.uuid() }).strict());
