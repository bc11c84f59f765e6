import type { z } from "zod";
import type { Ctx } from "../../lib/context";
import { type Placed, placeOrder } from "./place-order";
import type { CheckoutPayment, CheckoutResult, PlaceOrderInput } from "./schemas";

export { placeOrder };

/** The answer to a checkout as committed: the order, the guest's token, the payment still to be made. */
const placedResult = (ctx: Ctx, { order, orderToken }: Placed): CheckoutResult => ({
  order,
  orderToken,
  payment: unpaid(ctx, order),
});

/** Places the order and answers it (a direct call: scripts, tests, the bench's driver). */
export async function checkout(ctx: Ctx, raw: z.input<typeof PlaceOrderInput>): Promise<CheckoutResult> {
  return placedResult(ctx, await placeOrder(ctx, raw));
}

const unpaid = (ctx: Ctx, order: { total: number; currency: string }): CheckoutPayment => ({
  provider: ctx.payments.name,
  status: "pending",
  amount: order.total,
  currency: order.currency,
  clientSecret: null,
});

export { cancelInTx, cancelMyOrder, cancelOrder } from "./cancel";
export { expireOrders } from "./expire";
