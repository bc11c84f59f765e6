import { and, eq, inArray, sql } from "drizzle-orm";
import { byKey } from "../../db/client";
import { type PaymentStatus, payments } from "../../db/schema";
import { compiled } from "../../db/statement";
import type { Ctx } from "../../lib/context";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";

// The order's one `payments` row (unique order id): what we know of its payment at the provider.

export type PaymentRow = typeof payments.$inferSelect;

/** A payment still to be made: it may yet fail again, be canceled or succeed. */
const OPEN: PaymentStatus[] = ["pending", "failed"];

export async function paymentOf(ctx: Ctx, orderId: string): Promise<PaymentRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(payments)
    .where(byKey(eq(payments.orderId, orderId)));
  return row;
}

/**
 * The order's payment, pending, made unless the order has one (its id is unique, so concurrent
 * calls make one); undefined when it had. Checkout makes it in its transaction, before any
 * provider is called.
 */
export async function openPayment(
  ctx: Ctx,
  order: { id: string; paymentProvider: PaymentRow["provider"]; total: number; currency: string },
): Promise<PaymentRow | undefined> {
  const [row] = await openStatement(ctx.db, {
    id: newId(),
    orderId: order.id,
    provider: order.paymentProvider,
    amount: order.total,
    currency: order.currency,
  });
  return row;
}

const openStatement = compiled(["id", "orderId", "provider", "amount", "currency"], (db, p) =>
  db
    .insert(payments)
    .values({ id: p.id, orderId: p.orderId, provider: p.provider, amount: p.amount, currency: p.currency })
    .onConflictDoNothing({ target: payments.orderId })
    .returning(),
);

/** The paid order's row says succeeded, made now if no payment was ever started (a manual order marked paid). */
export async function markSucceededInTx(
  tx: TxCtx,
  order: { id: string; paymentProvider: PaymentRow["provider"]; total: number; currency: string },
  ref: string | null,
): Promise<void> {
  await tx.db
    .insert(payments)
    .values({
      id: newId(),
      orderId: order.id,
      provider: order.paymentProvider,
      providerRef: ref,
      status: "succeeded",
      amount: order.total,
      currency: order.currency,
    })
    .onConflictDoUpdate({
      target: payments.orderId,
      set: {
        status: "succeeded",
        providerRef: sql`coalesce(excluded.provider_ref, ${payments.providerRef})`,
        failureMessage: null,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Moves the row to `to` unless it is already past it: a payment that succeeded never goes back,
 * whatever arrives late. Answers whether it changed, so the caller records the change once.
 */
export async function movePaymentInTx(
  tx: TxCtx,
  orderId: string,
  to: "failed" | "canceled",
  failureMessage: string | null = null,
): Promise<boolean> {
  const moved = await tx.db
    .update(payments)
    .set({ status: to, failureMessage, updatedAt: sql`now()` })
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, OPEN)))
    .returning({ id: payments.id });
  return moved.length > 0;
}
