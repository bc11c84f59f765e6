import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { orders, webhookEvents } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { fieldError } from "../../lib/errors";
import type { ProviderPayment } from "../../lib/payments";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as ordersService from "../orders/service";
import { movePaymentInTx } from "./payment-rows";
import { isStripe, type ListedRefund, type StripeProvider } from "./providers/stripe";
import { recordPaymentSucceededInTx } from "./record-payment";
import { syncRefundsInTx } from "./refund-sync";
import { StripeWebhookInput, type WebhookReceipt } from "./schemas";

/** Events about a payment's refunds: a refund made (in Cartwright or Stripe's dashboard), or one settled later. */
const REFUND_EVENTS = new Set(["charge.refunded", "refund.updated", "charge.refund.updated"]);

/** The event types applied; any other is answered 200 and ignored (an endpoint may subscribe to more). */
const APPLIED = new Set([
  "payment_intent.succeeded",
  "payment_intent.payment_failed",
  "payment_intent.canceled",
  ...REFUND_EVENTS,
]);

/** What Stripe says now, read before the transaction: deliveries come late and out of order, this does not. */
interface Truth {
  payment: ProviderPayment;
  refunds: ListedRefund[];
}

/**
 * A Stripe webhook delivery: verified on its raw body (forged or unsigned: 400, nothing changes),
 * then applied once. The event id is stored in the same transaction as its effect, so a crash
 * leaves neither and a redelivery finds it and changes nothing. Effects follow the PaymentIntent
 * as Stripe has it now, so a failure delivered after the success never un-pays an order.
 */
export async function receiveStripeWebhook(ctx: Ctx, raw: unknown): Promise<WebhookReceipt> {
  const input = StripeWebhookInput.parse(raw);
  if (!isStripe(ctx.payments)) throw fieldError("Stripe-Signature", "Stripe is not configured here");
  const stripe = ctx.payments;
  const event = await stripe.verifyEvent(input.payload, input["stripe-signature"]);
  if (!APPLIED.has(event.type)) return { received: true, duplicate: false };
  // Cheap before the provider calls: most redeliveries stop here.
  if (await seen(ctx, event.id)) return { received: true, duplicate: true };
  const truth = await readTruth(stripe, event);
  const system: Ctx = { ...ctx, actor: { kind: "system", name: "stripe-webhook" } };
  return inTransaction(system, async (tx) => {
    const stored = await tx.db
      .insert(webhookEvents)
      .values({ id: event.id, provider: "stripe", type: event.type })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (stored.length === 0) return { received: true, duplicate: true };
    if (truth) await applyInTx(tx, event, truth);
    return { received: true, duplicate: false };
  });
}

async function seen(ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await ctx.db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.id, id));
  return Boolean(row);
}

/** The event's PaymentIntent as it is now (and its refunds, for a refund event); null when it names none. */
async function readTruth(stripe: StripeProvider, event: Stripe.Event): Promise<Truth | null> {
  const object = event.data.object as { object?: string; id?: string; payment_intent?: string | { id: string } | null };
  const ref =
    object.object === "payment_intent"
      ? object.id
      : typeof object.payment_intent === "string"
        ? object.payment_intent
        : object.payment_intent?.id;
  if (!ref) return null;
  const payment = await stripe.retrievePayment(ref);
  const refunds = REFUND_EVENTS.has(event.type) ? await stripe.listRefunds(ref) : [];
  return { payment, refunds };
}

async function applyInTx(tx: TxCtx, event: Stripe.Event, truth: Truth): Promise<void> {
  const { payment } = truth;
  // A PaymentIntent that is not one of our orders' (another system on the same Stripe account).
  if (!payment.orderId || !(await orderExists(tx, payment.orderId))) {
    tx.log.info({ eventId: event.id, ref: payment.ref }, "stripe event for no order of ours: ignored");
    return;
  }
  const orderId = payment.orderId;
  // Whatever the event, a payment that succeeded is booked first (a no-op once it is).
  if (payment.status === "succeeded") {
    await recordPaymentSucceededInTx(tx, {
      orderId,
      amount: payment.amount,
      currency: payment.currency,
      ref: payment.ref,
    });
  }
  if (event.type === "payment_intent.payment_failed" && payment.status !== "succeeded") {
    const message = event.data.object.last_payment_error?.message ?? "The payment failed";
    if (await movePaymentInTx(tx, orderId, "failed", message)) {
      await ordersService.recordEventInTx(tx, orderId, {
        kind: "payment_failed",
        reason: message,
        data: { ref: payment.ref },
      });
    }
  } else if (event.type === "payment_intent.canceled" && payment.status === "canceled") {
    if (await movePaymentInTx(tx, orderId, "canceled")) {
      await ordersService.recordEventInTx(tx, orderId, { kind: "payment_canceled", data: { ref: payment.ref } });
    }
  } else if (REFUND_EVENTS.has(event.type)) {
    await syncRefundsInTx(tx, orderId, truth.refunds);
  }
}

async function orderExists(tx: TxCtx, id: string): Promise<boolean> {
  const [row] = await tx.db.select({ id: orders.id }).from(orders).where(eq(orders.id, id));
  return Boolean(row);
}
