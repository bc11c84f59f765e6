import type { z } from "zod";
import type { Ctx } from "../../lib/context";
import * as payments from "../payments/service";
import { type Placed, placeOrder } from "./place-order";
import type { CheckoutResult, PlaceOrderInput } from "./schemas";

export { cancelInTx, cancelMyOrder, cancelOrder } from "./cancel";
export { expireOrders } from "./expire";

/**
 * The checkout's answer as committed: the order, the guest's token, and the payment as it
 * stands before the provider is called (what an Idempotency-Key records and replays).
 */
export async function placeOrderForAnswer(ctx: Ctx, raw: z.input<typeof PlaceOrderInput>): Promise<CheckoutResult> {
  const { order, orderToken }: Placed = await placeOrder(ctx, raw);
  // The order was placed with this process's provider (place-order.ts).
  const payment = { provider: ctx.payments.name, amount: order.total, currency: order.currency };
  const status = order.payment?.status ?? "pending";
  return { order, orderToken, payment: { ...payment, status, clientSecret: null } };
}

/**
 * After the commit, outside any transaction: the order's payment is created (or found: a
 * replay or a retry makes no second one), keyed by the order, and its client secret answered.
 * A provider that fails leaves the order pending_payment with its stock, and says `failed`.
 */
export async function withPayment(ctx: Ctx, placed: CheckoutResult): Promise<CheckoutResult> {
  // A local provider's payment is the row the checkout wrote (pending); a free order was paid in it.
  if (!ctx.payments.remote || placed.order.status !== "pending_payment") return placed;
  const payment = await payments.ensurePayment(ctx, placed.order.id);
  const { provider, status, amount, currency } = payment;
  return { ...placed, order: { ...placed.order, payment: { provider, status, amount, currency } }, payment };
}

/** Places the order and starts its payment (a direct call: scripts, the seed, the bench's driver). */
export async function checkout(ctx: Ctx, raw: z.input<typeof PlaceOrderInput>): Promise<CheckoutResult> {
  return withPayment(ctx, await placeOrderForAnswer(ctx, raw));
}
