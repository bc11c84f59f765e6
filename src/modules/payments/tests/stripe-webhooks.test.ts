import { describe, expect, test } from "bun:test";
import { placedOrder } from "../../../../tests/factories/orders";
import { useTestApp } from "../../../../tests/harness";
import * as payments from "../service";
import {
  cancelUnpaid,
  deliver,
  eventKinds,
  ledgerKinds,
  orderRow,
  paymentRow,
  stockedVariant,
  stockOf,
  useStripeStandIn,
} from "./fixtures";

const stripe = useStripeStandIn();
const t = await useTestApp({ env: stripe.env() });

/** An order placed and its PaymentIntent made, as checkout leaves them. */
async function orderWithIntent(onHand = 10, quantity = 2) {
  const variantId = await stockedVariant(t, onHand);
  const order = await placedOrder(t, { lines: [{ variantId, quantity }] });
  const payment = await payments.ensurePayment(t.ctx(), order.id);
  const intent = stripe.intentFor(order.id);
  if (!intent) throw new Error("no PaymentIntent");
  return { order, variantId, payment, intent };
}

describe("payment_intent.succeeded (Stripe stand-in)", () => {
  test("delivered 3 times, and before the client's own confirmation, pays the order once and commits its stock once", async () => {
    const { order, variantId, intent } = await orderWithIntent(10, 2);
    expect(await stockOf(t, variantId)).toEqual({ onHand: 10, reserved: 2 });
    // Stripe.js confirmed the payment; the webhook is all the server hears of it.
    const event = stripe.event("payment_intent.succeeded", stripe.succeed(intent.id));
    const delivery = await stripe.signed(event);
    const answers = await Promise.all([deliver(t, delivery), deliver(t, delivery)]);
    answers.push(await deliver(t, delivery));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);

    expect(await orderRow(t, order.id)).toMatchObject({ status: "paid", paidAmount: order.total, expiresAt: null });
    expect((await orderRow(t, order.id)).paidAt).not.toBeNull();
    expect(await paymentRow(t, order.id)).toMatchObject({ status: "succeeded", provider_ref: intent.id });
    expect(await stockOf(t, variantId)).toEqual({ onHand: 8, reserved: 0 });
    expect(await ledgerKinds(t, order.id)).toEqual(["reserve", "commit"]);
    expect((await eventKinds(t, order.id)).filter((k) => k === "status_changed")).toHaveLength(1);
    const [stored] = await t.sql`select count(*)::int as n from webhook_events where id = ${event.id}`;
    expect(stored?.n).toBe(1);
  });

  test("a forged or missing signature is 400 and changes nothing", async () => {
    const { order, intent } = await orderWithIntent();
    const event = stripe.event("payment_intent.succeeded", stripe.succeed(intent.id));
    const forged = await stripe.signed(event, "whsec_not_the_endpoint_secret");
    const res = await deliver(t, forged);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "Stripe-Signature" }] });
    // A body changed after signing.
    const genuine = await stripe.signed(event);
    const tampered = await deliver(t, { ...genuine, payload: genuine.payload.replace(String(order.total), "1") });
    expect(tampered.status).toBe(400);
    const unsigned = await t.app.fetch(
      new Request("http://cartwright.test/webhooks/stripe", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: genuine.payload,
      }),
    );
    expect(unsigned.status).toBe(400);
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
    const [stored] = await t.sql`select count(*)::int as n from webhook_events where id = ${event.id}`;
    expect(stored?.n).toBe(0);
  });

  test("for an order cancelled meanwhile, records the money and refunds it automatically, with an event", async () => {
    const { order, variantId, intent } = await orderWithIntent(10, 3);
    const paid = stripe.succeed(intent.id);
    await cancelUnpaid(t, order.id);
    expect(await stockOf(t, variantId)).toEqual({ onHand: 10, reserved: 0 });

    expect((await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", paid)))).status).toBe(200);
    const row = await orderRow(t, order.id);
    expect(row).toMatchObject({ status: "cancelled", paidAmount: order.total, refundedAmount: order.total });
    expect(await eventKinds(t, order.id)).toContain("payment_after_cancel");
    expect(await eventKinds(t, order.id)).toContain("refund_recorded");
    const given = [...stripe.refunds.values()].filter((r) => r.payment_intent === intent.id);
    expect(given.map((r) => r.amount)).toEqual([order.total]);
    // The stock was released with the cancellation; the late payment commits none.
    expect(await stockOf(t, variantId)).toEqual({ onHand: 10, reserved: 0 });
    expect(await ledgerKinds(t, order.id)).toEqual(["reserve", "release"]);
  });

  test("a PaymentIntent of another amount or currency never pays the order", async () => {
    const { order, intent } = await orderWithIntent();
    const live = stripe.paymentIntents.get(intent.id);
    if (!live) throw new Error("no PaymentIntent");
    live.amount = order.total - 100; // changed in Stripe after it was made
    const event = stripe.event("payment_intent.succeeded", stripe.succeed(intent.id));
    expect((await deliver(t, await stripe.signed(event))).status).toBe(200);
    expect(await orderRow(t, order.id)).toMatchObject({ status: "pending_payment", paidAmount: 0 });
    expect(await eventKinds(t, order.id)).toContain("payment_mismatch");
  });

  test("re-reads the PaymentIntent: a stale 'succeeded' for one that is not pays nothing", async () => {
    const { order, intent } = await orderWithIntent();
    const forgedState = { ...intent, status: "succeeded", amount_received: intent.amount };
    expect((await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", forgedState)))).status).toBe(
      200,
    );
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
  });
});

describe("out-of-order and other events (Stripe stand-in)", () => {
  test("a failure delivered after the success leaves the order paid", async () => {
    const { order, intent } = await orderWithIntent();
    const declined = stripe.event("payment_intent.payment_failed", stripe.decline(intent.id, "Insufficient funds"));
    const succeeded = stripe.event("payment_intent.succeeded", stripe.succeed(intent.id));
    await deliver(t, await stripe.signed(succeeded));
    expect((await deliver(t, await stripe.signed(declined))).status).toBe(200);
    expect((await orderRow(t, order.id)).status).toBe("paid");
    expect((await paymentRow(t, order.id))?.status).toBe("succeeded");
  });

  test("a failure marks the payment failed with Stripe's message; the order waits with its stock", async () => {
    const { order, variantId, intent } = await orderWithIntent(10, 1);
    const declined = stripe.event(
      "payment_intent.payment_failed",
      stripe.decline(intent.id, "Your card was declined."),
    );
    expect((await deliver(t, await stripe.signed(declined))).status).toBe(200);
    expect(await paymentRow(t, order.id)).toMatchObject({
      status: "failed",
      failure_message: "Your card was declined.",
    });
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
    expect(await stockOf(t, variantId)).toEqual({ onHand: 10, reserved: 1 });
    expect(await eventKinds(t, order.id)).toContain("payment_failed");
    // The shopper retries with another card on the same PaymentIntent.
    await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", stripe.succeed(intent.id))));
    expect((await orderRow(t, order.id)).status).toBe("paid");
  });

  test("payment_intent.canceled marks the payment canceled", async () => {
    const { order, intent } = await orderWithIntent();
    const live = stripe.paymentIntents.get(intent.id);
    if (!live) throw new Error("no PaymentIntent");
    live.status = "canceled";
    expect((await deliver(t, await stripe.signed(stripe.event("payment_intent.canceled", live)))).status).toBe(200);
    expect((await paymentRow(t, order.id))?.status).toBe("canceled");
    expect(await eventKinds(t, order.id)).toContain("payment_canceled");
  });

  test("charge.refunded records a refund made in Stripe's dashboard once, and never counts ours twice", async () => {
    const { order, intent } = await orderWithIntent(10, 2);
    await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", stripe.succeed(intent.id))));
    await t.as(await t.user("staff")).trpc.admin.orders.refund.mutate({ id: order.id, amount: 500, reason: "ours" });
    stripe.refundInDashboard(intent.id, 700);
    const refunded = await stripe.signed(stripe.event("charge.refunded", stripe.charge(intent.id)));
    expect((await deliver(t, refunded)).status).toBe(200);
    // Delivered again under a new event id (Stripe sends one charge.refunded per refund): nothing more.
    await deliver(t, await stripe.signed(stripe.event("charge.refunded", stripe.charge(intent.id))));
    const row = await orderRow(t, order.id);
    expect(row).toMatchObject({ status: "partially_refunded", refundedAmount: 1200 });
    const recorded =
      await t.sql`select amount, reason, status from refunds where order_id = ${order.id} order by created_at`;
    expect(recorded.map((r) => [r.amount, r.reason, r.status])).toEqual([
      [500, "ours", "succeeded"],
      [700, "refunded in Stripe", "succeeded"],
    ]);
  });

  test("an event type it does not apply is answered 200 and ignored", async () => {
    const res = await deliver(
      t,
      await stripe.signed(stripe.event("customer.created", { id: "cus_1", object: "customer" })),
    );
    expect(res).toEqual({ status: 200, body: { received: true, duplicate: false } });
  });

  test("a PaymentIntent of no order of ours (another system on the account) is answered 200 and changes nothing", async () => {
    const { order, intent } = await orderWithIntent();
    const live = stripe.paymentIntents.get(intent.id);
    if (!live) throw new Error("no PaymentIntent");
    live.metadata = { orderId: "01a20160-0000-7000-8000-000000000000" };
    const res = await deliver(
      t,
      await stripe.signed(stripe.event("payment_intent.succeeded", stripe.succeed(intent.id))),
    );
    expect(res).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
  });
});
