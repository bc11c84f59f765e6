import Stripe from "stripe";
import { AppError, fieldError } from "../../../lib/errors";
import type { PaymentProvider, ProviderPayment, ProviderPaymentStatus, ProviderRefund } from "../../../lib/payments";

export interface StripeSettings {
  secretKey: string;
  /** Verifies webhook deliveries; without it every delivery is refused (400). */
  webhookSecret?: string;
  /** Stripe's API unless set (a local stand-in in tests). */
  apiUrl?: string;
}

/** A refund as Stripe lists it: one of ours (our refund id in its metadata) or one made in Stripe's dashboard. */
export interface ListedRefund {
  ref: string;
  amount: number;
  status: ProviderRefund["status"];
  /** Our refund's id, for refunds Cartwright asked for. */
  refundId: string | null;
}

/** Stripe as a payment provider, plus what only Stripe has: signed webhooks and refunds made outside Cartwright. */
export interface StripeProvider extends PaymentProvider {
  readonly name: "stripe";
  readonly remote: true;
  /** The event a delivery carries, once its signature matches the raw body; 400 naming the header otherwise. */
  verifyEvent(payload: string, signature: string): Promise<Stripe.Event>;
  /** Every refund of a payment, ours and those made in Stripe's dashboard. */
  listRefunds(paymentRef: string): Promise<ListedRefund[]>;
}

export const isStripe = (provider: PaymentProvider): provider is StripeProvider => provider.name === "stripe";

/**
 * PaymentIntents through the official SDK. Every change carries an idempotency key derived
 * from our row (`order-<id>-payment`, `refund-<id>`), so a retry, a second process or a crash
 * between Stripe's answer and our commit never makes a second PaymentIntent or refund.
 */
export function stripeProvider(settings: StripeSettings): StripeProvider {
  const stripe = new Stripe(settings.secretKey, { ...endpoint(settings.apiUrl), appInfo: { name: "Cartwright" } });
  return {
    name: "stripe",
    remote: true,
    async createPayment(input) {
      const intent = await stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          metadata: { orderId: input.orderId, orderNumber: input.orderNumber },
          receipt_email: input.email,
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: `order-${input.orderId}-payment` },
      );
      return paymentOf(intent);
    },
    async retrievePayment(ref) {
      return paymentOf(await stripe.paymentIntents.retrieve(ref));
    },
    async cancelPayment(ref) {
      try {
        await stripe.paymentIntents.cancel(ref);
      } catch (err) {
        // Stripe refuses to cancel twice; one already canceled is what was asked for.
        if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
        if ((await stripe.paymentIntents.retrieve(ref)).status !== "canceled") throw err;
      }
    },
    async refund(input) {
      if (!input.paymentRef) throw new AppError("CONFLICT", "This payment has no PaymentIntent to refund");
      try {
        const refund = await stripe.refunds.create(
          {
            payment_intent: input.paymentRef,
            amount: input.amount,
            // Stripe's own `reason` is an enum: ours, free text, travels as metadata.
            metadata: { refundId: input.refundId, ...(input.reason && { reason: input.reason.slice(0, 500) }) },
          },
          { idempotencyKey: `refund-${input.refundId}` },
        );
        return { ref: refund.id, status: refundStatus(refund.status) };
      } catch (err) {
        // Refused for good (already refunded, more than is left): a retry would be refused again.
        if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeCardError) {
          throw new AppError("PAYMENT_FAILED", err.message);
        }
        throw err;
      }
    },
    async verifyEvent(payload, signature) {
      if (!settings.webhookSecret) {
        throw fieldError("Stripe-Signature", "Webhooks cannot be verified: STRIPE_WEBHOOK_SECRET is not set");
      }
      try {
        return await stripe.webhooks.constructEventAsync(payload, signature, settings.webhookSecret);
      } catch {
        throw fieldError("Stripe-Signature", "The signature does not match the body, or it is too old");
      }
    },
    async listRefunds(paymentRef) {
      const listed: ListedRefund[] = [];
      for await (const r of stripe.refunds.list({ payment_intent: paymentRef, limit: 100 })) {
        listed.push({
          ref: r.id,
          amount: r.amount,
          status: refundStatus(r.status),
          refundId: r.metadata?.refundId ?? null,
        });
      }
      return listed;
    },
  };
}

function endpoint(apiUrl: string | undefined) {
  if (!apiUrl) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol } as const;
}

function paymentOf(intent: Stripe.PaymentIntent): ProviderPayment {
  return {
    ref: intent.id,
    status: paymentStatus(intent),
    amount: intent.amount,
    currency: intent.currency.toUpperCase(),
    clientSecret: intent.client_secret,
    orderId: intent.metadata?.orderId ?? null,
  };
}

/** A declined attempt leaves the PaymentIntent waiting for another payment method, with the error beside it. */
function paymentStatus(intent: Stripe.PaymentIntent): ProviderPaymentStatus {
  if (intent.status === "succeeded") return "succeeded";
  if (intent.status === "canceled") return "canceled";
  if (intent.status === "requires_payment_method" && intent.last_payment_error) return "failed";
  return "pending";
}

function refundStatus(status: string | null): ProviderRefund["status"] {
  if (status === "succeeded") return "succeeded";
  if (status === "failed" || status === "canceled") return "failed";
  return "pending";
}
