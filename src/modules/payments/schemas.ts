import { z } from "@hono/zod-openapi";
import { PAYMENT_PROVIDERS, PAYMENT_STATUSES } from "../../db/schema";
import { IdParam } from "../../lib/id-param";
import { Currency } from "../catalog/schemas";

/** What a frontend needs to take an order's payment: with Stripe, the PaymentIntent's client secret. */
export const CheckoutPayment = z
  .object({
    provider: z.enum(PAYMENT_PROVIDERS),
    status: z.enum(PAYMENT_STATUSES).openapi({
      description:
        "`pending`: confirm it with `clientSecret` (Stripe) or wait for the merchant (manual); `failed`: creating it failed, retry with `POST /orders/{id}/payment`",
    }),
    clientSecret: z
      .string()
      .nullable()
      .openapi({ description: "Stripe's PaymentIntent client secret, for Stripe.js; null for manual payments" }),
    amount: z.number().int().min(0),
    currency: Currency,
  })
  .openapi("CheckoutPayment");
export type CheckoutPayment = z.infer<typeof CheckoutPayment>;

export const PayOrderInput = IdParam;

export const MarkPaidInput = IdParam;

export const RefundItem = z.strictObject({
  orderItemId: z.uuid(),
  quantity: z.number().int().min(1).max(100_000),
});

export const RefundOrderBody = z
  .strictObject({
    amount: z.number().int().min(1).max(100_000_000).optional().openapi({
      description:
        "In minor units. Default: the listed items' share of their lines' totals, or with no items all that is left to refund",
    }),
    items: z.array(RefundItem).min(1).max(500).optional().openapi({ description: "The units refunded, by order item" }),
    restock: z.boolean().default(false).openapi({ description: "Put the listed items' units back on the shelf" }),
    reason: z.string().trim().max(500).default("").openapi({ example: "Arrived damaged" }),
  })
  .openapi("RefundOrderInput");
export const RefundOrderInput = RefundOrderBody.extend({ id: z.uuid() });

export const StripeWebhookHeaders = z.object({
  "stripe-signature": z
    .string()
    .min(1)
    .max(2000)
    .openapi({ description: "Stripe's signature of the raw body (`t=...,v1=...`)" }),
});

/** A Stripe webhook delivery: the raw body, as signed, and its `Stripe-Signature` header. */
export const StripeWebhookInput = StripeWebhookHeaders.extend({ payload: z.string() });

export const WebhookReceipt = z
  .object({
    received: z.literal(true),
    duplicate: z.boolean().openapi({ description: "The event was delivered before and is not applied again" }),
  })
  .openapi("WebhookReceipt");
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;
