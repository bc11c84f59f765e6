import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { byKey } from "../../db/client";
import { orders, payments } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import * as ordersService from "../orders/service";
import { openPayment, type PaymentRow, paymentOf } from "./payment-rows";
import { type CheckoutPayment, PayOrderInput } from "./schemas";

type PayableOrder = Pick<
  typeof orders.$inferSelect,
  "id" | "number" | "status" | "total" | "currency" | "email" | "paymentProvider"
>;

/**
 * The order's payment, found or created with its provider: called after the order committed,
 * never inside a transaction (the provider is an outside service). Never two provider payments
 * for one order, even when called concurrently: the row is unique per order, and the provider's
 * idempotency key is the order's, so a second create answers the first's PaymentIntent. When the
 * provider fails, the row says `failed`, the order keeps its reservation, and so does the answer:
 * the order was placed, and `POST /orders/{id}/payment` tries again.
 */
export async function ensurePayment(ctx: Ctx, orderId: string): Promise<CheckoutPayment> {
  const order = await orderRow(ctx, orderId);
  if (!order) throw new AppError("NOT_FOUND", "Order not found");
  return paymentFor(ctx, order);
}

async function orderRow(ctx: Ctx, id: string): Promise<typeof orders.$inferSelect | undefined> {
  const [order] = await ctx.db
    .select()
    .from(orders)
    .where(byKey(eq(orders.id, id)));
  return order;
}

/** ensurePayment for the order as read. */
async function paymentFor(ctx: Ctx, order: typeof orders.$inferSelect): Promise<CheckoutPayment> {
  const { id: orderId } = order;
  const row = await rowFor(ctx, order);
  const answer = (status: PaymentRow["status"], clientSecret: string | null = null): CheckoutPayment => ({
    provider: order.paymentProvider,
    status,
    clientSecret,
    amount: order.total,
    currency: order.currency,
  });
  // Settled, or placed with a provider not configured here (a manual order in a Stripe store): nothing to call.
  const open = row.status === "pending" || row.status === "failed";
  if (!open || order.status !== "pending_payment" || order.paymentProvider !== ctx.payments.name) {
    return answer(row.status);
  }
  try {
    if (row.providerRef) {
      const found = await ctx.payments.retrievePayment(row.providerRef);
      return answer(found.status, found.clientSecret);
    }
    const made = await ctx.payments.createPayment({
      orderId,
      orderNumber: ordersService.orderNumber(order.number),
      amount: order.total,
      currency: order.currency,
      email: order.email,
    });
    if (made.ref) await saveRef(ctx, orderId, made.ref);
    return answer(made.status, made.clientSecret);
  } catch (err) {
    ctx.log.warn({ err, orderId }, "the payment provider failed: the order waits for another attempt");
    await recordFailure(ctx, orderId, err);
    return answer("failed");
  }
}

/**
 * `POST /orders/{id}/payment`: the order's customer, or a guest with its `X-Order-Token`, gets the
 * order's payment, created again if the first attempt failed. Anyone else gets 404, as if absent.
 */
export async function payOrder(ctx: Ctx, raw: unknown): Promise<CheckoutPayment> {
  const { id } = PayOrderInput.parse(raw);
  const order = await orderRow(ctx, id);
  const owner = order && (ordersService.placedByCaller(ctx, order) || ordersService.tokenHeldByCaller(ctx, order));
  if (!owner) throw new AppError("NOT_FOUND", "Order not found");
  if (order.status !== "pending_payment") {
    throw new AppError("CONFLICT", `An order that is ${order.status} takes no payment`, {
      orderStatus: order.status,
    });
  }
  return paymentFor(ctx, order);
}

/** The order's row, made if it has none (concurrent first calls make one: the order id is unique). */
async function rowFor(ctx: Ctx, order: PayableOrder): Promise<PaymentRow> {
  // Read first: checkout opens the row in its own transaction, so after a checkout it exists.
  const found = await paymentOf(ctx, order.id);
  if (found) return found;
  const made = await openPayment(ctx, order);
  if (made) return made;
  const row = await paymentOf(ctx, order.id);
  if (!row) throw new AppError("NOT_FOUND", "Order not found");
  return row;
}

/**
 * Keeps the provider's id, once (a concurrent call saves the same one). An order cancelled while its
 * payment was being made has its row canceled already: the payment just made is cancelled too.
 */
async function saveRef(ctx: Ctx, orderId: string, ref: string): Promise<void> {
  const [saved] = await ctx.db
    .update(payments)
    .set({
      providerRef: ref,
      status: sql`case when ${payments.status} = 'failed' then 'pending' else ${payments.status} end`,
      failureMessage: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(payments.orderId, orderId), isNull(payments.providerRef)))
    .returning({ status: payments.status });
  if (saved?.status === "canceled") await ctx.payments.cancelPayment(ref);
}

/** The provider's words, short; only a row still without a provider payment can have failed to get one. */
async function recordFailure(ctx: Ctx, orderId: string, err: unknown): Promise<void> {
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 500) || "The payment provider failed";
  await ctx.db
    .update(payments)
    .set({ status: "failed", failureMessage: message, updatedAt: sql`now()` })
    .where(
      and(eq(payments.orderId, orderId), isNull(payments.providerRef), inArray(payments.status, ["pending", "failed"])),
    );
}
