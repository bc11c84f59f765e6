import { afterAll } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import type { TestApp } from "../../../../tests/harness";
import { StripeStandIn } from "../../../../tests/stripe-stand-in";
import * as checkout from "../../checkout/service";

/** A Stripe stand-in for this file, stopped after it. */
export function useStripeStandIn(): StripeStandIn {
  const standIn = new StripeStandIn();
  standIn.start();
  afterAll(() => standIn.stop());
  return standIn;
}

/** One variant with `onHand` units, at `price`. */
export async function stockedVariant(t: TestApp, onHand = 10, price = 2500): Promise<string> {
  const product = await makeProduct(t, { title: "Payment lamp", variants: [{ price, onHand }] });
  const variant = product.variants[0];
  if (!variant) throw new Error("no variant");
  return variant.id;
}

export async function stockOf(t: TestApp, variantId: string) {
  const [level] = await t.sql`select on_hand, reserved from inventory_levels where variant_id = ${variantId}`;
  return { onHand: Number(level?.on_hand), reserved: Number(level?.reserved) };
}

/** The ledger's entries of one kind for an order. */
export async function ledgerKinds(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.sql`select kind from inventory_ledger where order_id = ${orderId} order by created_at, id`;
  return rows.map((r) => String(r.kind));
}

export async function orderRow(t: TestApp, orderId: string) {
  const [row] =
    await t.sql`select status, paid_amount, refunded_amount, paid_at, expires_at from orders where id = ${orderId}`;
  return {
    status: String(row?.status),
    paidAmount: Number(row?.paid_amount),
    refundedAmount: Number(row?.refunded_amount),
    paidAt: row?.paid_at as Date | null,
    expiresAt: row?.expires_at as Date | null,
  };
}

export async function paymentRow(t: TestApp, orderId: string) {
  const [row] = await t.sql`select status, provider_ref, failure_message from payments where order_id = ${orderId}`;
  return row as { status: string; provider_ref: string | null; failure_message: string | null } | undefined;
}

export async function eventKinds(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.sql`select kind from order_events where order_id = ${orderId} order by created_at, id`;
  return rows.map((r) => String(r.kind));
}

/** Staff cancel an unpaid order through the checkout's own cancellation: stock released, payment cancelled. */
export async function cancelUnpaid(t: TestApp, orderId: string): Promise<void> {
  await checkout.cancelOrder(t.ctx({ kind: "system", name: "test-cancel" }), { id: orderId });
}

/** Posts a signed delivery to /webhooks/stripe, as Stripe does. */
export async function deliver(t: TestApp, delivery: { payload: string; signature: string }) {
  const res = await t.app.fetch(
    new Request("http://cartwright.test/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": delivery.signature },
      body: delivery.payload,
    }),
  );
  return { status: res.status, body: await res.json() };
}
