import { IdParam } from "../../lib/id-param";
import { anyone, idempotentMutation, mutation, staff } from "../../lib/operation";
import { ADMIN_ORDERS_TAG, AdminOrder } from "../orders/schemas";
import {
  CheckoutPayment,
  MarkPaidInput,
  PayOrderInput,
  RefundOrderBody,
  RefundOrderInput,
  StripeWebhookHeaders,
  StripeWebhookInput,
  WebhookReceipt,
} from "./schemas";
import * as payments from "./service";

const adminTag = ADMIN_ORDERS_TAG;
const writeOrders = staff("orders:write");

export const payOrder = mutation({
  input: PayOrderInput,
  output: CheckoutPayment,
  access: anyone,
  rest: {
    method: "post",
    path: "/orders/{id}/payment",
    status: 200,
    operationId: "payOrder",
    tag: "Orders",
    summary: "The order's payment, created again when the first attempt failed",
    description:
      "For the order's customer, or a guest sending the order's `X-Order-Token`; anyone else gets 404. Only an order awaiting payment takes one (409 otherwise). With Stripe it answers the PaymentIntent's `clientSecret`: always the same PaymentIntent, however often it is called. When the provider fails again, `status` is `failed` and the order keeps its stock until it expires.",
    responds: "What the frontend confirms the payment with",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => payments.payOrder(ctx, input),
});

export const markOrderPaid = mutation({
  input: MarkPaidInput,
  output: AdminOrder,
  access: writeOrders,
  rest: {
    method: "post",
    path: "/admin/orders/{id}/mark-paid",
    status: 200,
    operationId: "markOrderPaid",
    tag: adminTag,
    summary: "Mark a manual payment received (a bank transfer, cash on delivery)",
    description:
      "Only for orders paid through the manual provider and awaiting payment (409 otherwise): the order becomes paid, its stock is committed and the customer is mailed.",
    responds: "The paid order, with its events",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => payments.markOrderPaid(ctx, input),
});

export const refundOrder = idempotentMutation({
  input: RefundOrderInput,
  output: AdminOrder,
  access: writeOrders,
  rest: {
    method: "post",
    path: "/admin/orders/{id}/refunds",
    status: 201,
    operationId: "refundOrder",
    tag: adminTag,
    summary: "Refund an order, fully or partly, by amount or by items (optionally restocking them)",
    description:
      "Never more than was paid, less what was refunded and what refunds under way hold (400 naming `amount` or `items`); an order with no payment to refund is 409. By items, the amount defaults to their share of their lines' totals. The refund goes through the provider right after it is recorded: `refunds[]` shows it `succeeded` once the provider confirmed it (a manual refund at once), `pending` while it is under way, which is what an answer recorded under an `Idempotency-Key` shows.",
    responds: "The order with the new refund last in `refunds`",
    errors: [404, 409],
    params: IdParam,
    body: RefundOrderBody,
  },
  run: (ctx, input) => payments.refundOrder(ctx, input),
});

export const receiveStripeWebhook = mutation({
  input: StripeWebhookInput,
  output: WebhookReceipt,
  access: anyone,
  trpc: false,
  rest: {
    method: "post",
    mount: "/webhooks",
    path: "/stripe",
    status: 200,
    operationId: "receiveStripeWebhook",
    tag: "Webhooks",
    summary: "Stripe's event deliveries (give Stripe this URL and set STRIPE_WEBHOOK_SECRET)",
    description:
      "The raw body must carry a valid `Stripe-Signature` (400 otherwise, and nothing changes). Each event is applied once: a redelivery answers 200 with `duplicate: true`. Applied: `payment_intent.succeeded`, `payment_intent.payment_failed`, `payment_intent.canceled`, `charge.refunded` (refunds made in Stripe's dashboard are recorded) and `refund.updated` or `charge.refund.updated` (a refund settled later); other types are answered 200 and ignored.",
    responds: "The event was received",
    headers: StripeWebhookHeaders,
    consumes: { contentType: "application/json", field: "payload" },
  },
  run: (ctx, input) => payments.receiveStripeWebhook(ctx, input),
});
