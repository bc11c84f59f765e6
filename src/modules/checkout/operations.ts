import { IdParam } from "../../lib/id-param";
import { idempotentMutation, mutation, owner, shopper, staff } from "../../lib/operation";
import { ADMIN_ORDERS_TAG, AdminOrder, CancelOrderBody, CancelOrderInput, Order } from "../orders/schemas";
import { CheckoutResult, PlaceOrderInput } from "./schemas";
import * as checkout from "./service";

export const placeOrder = idempotentMutation({
  input: PlaceOrderInput,
  output: CheckoutResult,
  access: shopper,
  rest: {
    method: "post",
    path: "/checkout",
    status: 201,
    operationId: "placeOrder",
    tag: "Checkout",
    summary: "Place an order from the cart: re-priced, stock reserved, promotions redeemed, payment started",
    description:
      "In one transaction: the cart is priced again (today's prices, promotions re-checked, shipping and tax for the shipping address), every line's stock is reserved (409 `OUT_OF_STOCK` naming the line and what is available), promotion uses are redeemed (422 `COUPON_INVALID` when the last use went to someone else), and the cart becomes the order. The payment is created after that, keyed by the order: `payment.clientSecret` confirms it with Stripe.js. An order with nothing to pay (every cent discounted) is placed `paid`, its `payment.status` `succeeded`. A guest sends the cart's `X-Cart-Token` and an `email`, and gets `orderToken` once. Send an `Idempotency-Key`: a retry answers the same order; the key with another body is 422.",
    responds: "The order, the guest's order token and the payment to confirm",
    errors: [404, 409, 422],
  },
  run: (ctx, input) => checkout.placeOrderForAnswer(ctx, input),
  // Outside the transaction (and its idempotency record): the provider is an outside service.
  settle: (ctx, placed) => checkout.withPayment(ctx, placed),
});

export const cancelMyOrder = mutation({
  input: CancelOrderInput,
  output: Order,
  access: owner("order"),
  rest: {
    method: "post",
    path: "/me/orders/{id}/cancel",
    status: 200,
    operationId: "cancelMyOrder",
    tag: "Me",
    summary: "Cancel one of the signed-in customer's unpaid orders: its stock and promotion uses return",
    description:
      "Only an order still waiting for payment (409 otherwise: a paid order is the store's to cancel and refund).",
    responds: "The cancelled order",
    errors: [404, 409],
    params: IdParam,
    body: CancelOrderBody,
  },
  run: (ctx, input) => checkout.cancelMyOrder(ctx, input),
});

export const cancelOrder = mutation({
  input: CancelOrderInput,
  output: AdminOrder,
  access: staff("orders:write"),
  rest: {
    method: "post",
    path: "/admin/orders/{id}/cancel",
    status: 200,
    operationId: "cancelOrder",
    tag: ADMIN_ORDERS_TAG,
    summary:
      "Cancel an unpaid or paid (not yet shipped) order: stock and promotion uses return, a paid order is refunded",
    responds: "The cancelled order with its events",
    errors: [404, 409],
    params: IdParam,
    body: CancelOrderBody,
  },
  run: (ctx, input) => checkout.cancelOrder(ctx, input),
});
