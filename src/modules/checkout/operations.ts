import { idempotentMutation, shopper } from "../../lib/operation";
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
      "In one transaction: the cart is priced again (today's prices, promotions re-checked, shipping and tax for the shipping address), every line's stock is reserved (409 `OUT_OF_STOCK` naming the line and what is available), promotion uses are redeemed (422 `COUPON_INVALID` when the last use went to someone else), and the cart becomes the order. The payment is created after that, keyed by the order: `payment.clientSecret` confirms it with Stripe.js. A guest sends the cart's `X-Cart-Token` and an `email`, and gets `orderToken` once. Send an `Idempotency-Key`: a retry answers the same order; the key with another body is 422.",
    responds: "The order, the guest's order token and the payment to confirm",
    errors: [404, 409, 422],
  },
  run: (ctx, input) => checkout.checkout(ctx, input),
});
