import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { placedOrder } from "../../../../tests/factories/orders";
import { useTestApp } from "../../../../tests/harness";
import * as payments from "../service";
import { cancelUnpaid, eventKinds, orderRow, paymentRow, stockedVariant, stockOf, useStripeStandIn } from "./fixtures";

const stripe = useStripeStandIn();
const t = await useTestApp({ env: stripe.env() });

const createsOf = (orderId: string) =>
  stripe.received.filter(
    (r) => r.method === "POST" && r.path === "/v1/payment_intents" && r.idempotencyKey === `order-${orderId}-payment`,
  );

describe("ensurePayment (Stripe stand-in)", () => {
  test("creates one PaymentIntent for the order's total, keyed by the order, and answers its client secret", async () => {
    const variantId = await stockedVariant(t, 5, 1999);
    const order = await placedOrder(t, { lines: [{ variantId, quantity: 3 }], email: "ada@example.test" });
    const payment = await payments.ensurePayment(t.ctx(), order.id);
    const intent = stripe.intentFor(order.id);
    expect(intent).toMatchObject({
      amount: 5997,
      currency: "usd",
      receipt_email: "ada@example.test",
      metadata: { orderId: order.id, orderNumber: order.number },
      automatic_payment_methods: { enabled: true },
    });
    expect(payment).toEqual({
      provider: "stripe",
      status: "pending",
      clientSecret: intent?.client_secret ?? "",
      amount: 5997,
      currency: "USD",
    });
    expect(await paymentRow(t, order.id)).toMatchObject({ status: "pending", provider_ref: intent?.id });
    expect(stripe.refused).toEqual([]);
  });

  test("called again, retrieves the same PaymentIntent instead of making another", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const first = await payments.ensurePayment(t.ctx(), order.id);
    const again = await payments.ensurePayment(t.ctx(), order.id);
    expect(again.clientSecret).toBe(first.clientSecret);
    expect(createsOf(order.id)).toHaveLength(1);
    expect([...stripe.paymentIntents.values()].filter((pi) => pi.metadata.orderId === order.id)).toHaveLength(1);
  });

  test("concurrent calls make one PaymentIntent: the row is unique and Stripe's idempotency key the order's", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    stripe.latencyMs = 40;
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => payments.ensurePayment(t.ctx(), order.id)));
      expect(new Set(answers.map((a) => a.clientSecret)).size).toBe(1);
    } finally {
      stripe.latencyMs = 0;
    }
    expect([...stripe.paymentIntents.values()].filter((pi) => pi.metadata.orderId === order.id)).toHaveLength(1);
    const [rows] = await t.sql`select count(*)::int as n from payments where order_id = ${order.id}`;
    expect(rows?.n).toBe(1);
  });

  test("when Stripe cannot be reached, the payment is failed, the order keeps its stock, and a retry creates it", async () => {
    const variantId = await stockedVariant(t, 4);
    const order = await placedOrder(t, { lines: [{ variantId, quantity: 2 }] });
    await stripe.stop();
    let failed: Awaited<ReturnType<typeof payments.ensurePayment>>;
    try {
      failed = await payments.ensurePayment(t.ctx(), order.id);
    } finally {
      stripe.start();
    }
    expect(failed).toMatchObject({ status: "failed", clientSecret: null });
    expect((await paymentRow(t, order.id))?.status).toBe("failed");
    expect((await paymentRow(t, order.id))?.failure_message).toBeTruthy();
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
    expect(await stockOf(t, variantId)).toEqual({ onHand: 4, reserved: 2 });

    const guest = t.trpcWith({ "x-order-token": order.token ?? "" });
    const retried = await guest.orders.pay.mutate({ id: order.id });
    expect(retried.status).toBe("pending");
    expect(retried.clientSecret).toBe(stripe.intentFor(order.id)?.client_secret ?? "");
    expect(await paymentRow(t, order.id)).toMatchObject({ status: "pending", failure_message: null });
  }, 20_000);

  test("an order cancelled while its PaymentIntent was made has that PaymentIntent cancelled too", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    // Stripe holds its answer long enough for the cancellation to commit once the request has reached it.
    stripe.latencyMs = 250;
    try {
      const making = payments.ensurePayment(t.ctx(), order.id);
      for (let i = 0; i < 500 && createsOf(order.id).length === 0; i++) await Bun.sleep(2);
      expect(createsOf(order.id)).toHaveLength(1);
      await cancelUnpaid(t, order.id);
      await making;
    } finally {
      stripe.latencyMs = 0;
    }
    expect(stripe.intentFor(order.id)?.status).toBe("canceled");
    expect((await paymentRow(t, order.id))?.status).toBe("canceled");
  });
});

describe("POST /orders/{id}/payment, orders.pay (Stripe stand-in)", () => {
  test("the order's customer gets its payment on both transports; the same PaymentIntent each time", async () => {
    const customer = await t.user("customer");
    const order = await placedOrder(t, {
      lines: [{ variantId: await stockedVariant(t), quantity: 1 }],
      customerId: customer.id,
    });
    const me = t.as(customer);
    const viaRest = await me.rest.post(`/api/v1/orders/${order.id}/payment`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({ provider: "stripe", status: "pending", amount: order.total, currency: "USD" });
    const viaTrpc = await me.trpc.orders.pay.mutate({ id: order.id });
    expect(viaTrpc.clientSecret).toBe(viaRest.body.clientSecret);
    expect(createsOf(order.id)).toHaveLength(1);
  });

  test("another customer, a guest without the token or with another order's, and staff get 404", async () => {
    const owner = await t.user("customer");
    const mine = await placedOrder(t, {
      lines: [{ variantId: await stockedVariant(t), quantity: 1 }],
      customerId: owner.id,
    });
    const guests = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const anotherGuests = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const other = t.as(await t.user("customer"));
    expect((await other.rest.post(`/api/v1/orders/${mine.id}/payment`)).status).toBe(404);
    expect((await trpcError(other.trpc.orders.pay.mutate({ id: mine.id }))).data.code).toBe("NOT_FOUND");
    expect((await t.rest.post(`/api/v1/orders/${guests.id}/payment`)).status).toBe(404);
    const wrongToken = { headers: { "x-order-token": "not-the-token" } };
    expect((await t.rest.post(`/api/v1/orders/${guests.id}/payment`, undefined, wrongToken)).status).toBe(404);
    const anotherToken = { headers: { "x-order-token": anotherGuests.token ?? "" } };
    expect((await t.rest.post(`/api/v1/orders/${guests.id}/payment`, undefined, anotherToken)).status).toBe(404);
    expect((await t.as(await t.user("staff")).rest.post(`/api/v1/orders/${mine.id}/payment`)).status).toBe(404);
    const withToken = { headers: { "x-order-token": guests.token ?? "" } };
    expect((await t.rest.post(`/api/v1/orders/${guests.id}/payment`, undefined, withToken)).status).toBe(200);
  });

  test("an order no longer awaiting payment is 409", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    await cancelUnpaid(t, order.id);
    const res = await t.rest.post(`/api/v1/orders/${order.id}/payment`, undefined, {
      headers: { "x-order-token": order.token ?? "" },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("CONFLICT");
  });
});

describe("cancelPaymentInTx and the cancel-payment job (Stripe stand-in)", () => {
  test("an unpaid order's cancellation cancels its PaymentIntent after the commit", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    await payments.ensurePayment(t.ctx(), order.id);
    await cancelUnpaid(t, order.id);
    expect(stripe.intentFor(order.id)?.status).toBe("requires_payment_method");
    await t.runJobs();
    expect(stripe.intentFor(order.id)?.status).toBe("canceled");
    expect((await paymentRow(t, order.id))?.status).toBe("canceled");
    expect(await eventKinds(t, order.id)).toContain("payment_canceled");
    // Run again (a retried job): nothing more happens.
    await payments.cancelProviderPayment(t.ctx(), order.id);
    expect((await eventKinds(t, order.id)).filter((k) => k === "payment_canceled")).toHaveLength(1);
  });

  test("a PaymentIntent paid just before the cancellation reached Stripe is booked and refunded", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    await payments.ensurePayment(t.ctx(), order.id);
    await cancelUnpaid(t, order.id);
    stripe.succeed(stripe.intentFor(order.id)?.id ?? "");
    await t.runJobs();
    expect(await orderRow(t, order.id)).toMatchObject({
      status: "cancelled",
      paidAmount: order.total,
      refundedAmount: order.total,
    });
    expect(await eventKinds(t, order.id)).toContain("payment_after_cancel");
  });
});
