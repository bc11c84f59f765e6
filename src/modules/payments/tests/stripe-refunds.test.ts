import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { placedOrder } from "../../../../tests/factories/orders";
import { useTestApp } from "../../../../tests/harness";
import * as ordersService from "../../orders/service";
import * as payments from "../service";
import { executeRefundTask } from "../tasks/execute-refund";
import { deliver, eventKinds, orderRow, stockedVariant, useStripeStandIn } from "./fixtures";

const stripe = useStripeStandIn();
const t = await useTestApp({ env: stripe.env() });
const staff = t.as(await t.user("staff"));

/** An order paid through Stripe (its webhook delivered). */
async function paidOrder() {
  const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t, 10, 2000), quantity: 2 }] });
  await payments.ensurePayment(t.ctx(), order.id);
  const intent = stripe.intentFor(order.id);
  if (!intent) throw new Error("no PaymentIntent");
  await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", stripe.succeed(intent.id))));
  return { order, intent };
}

const refundCreates = (refundId: string) =>
  stripe.received.filter(
    (r) => r.path === "/v1/refunds" && r.method === "POST" && r.idempotencyKey === `refund-${refundId}`,
  );

describe("refunds through Stripe (Stripe stand-in)", () => {
  test("go to Stripe right after the commit, keyed by the refund, and the answer shows them done", async () => {
    const { order, intent } = await paidOrder();
    const answer = await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 1500, reason: "Late delivery" });
    const [refund] = answer.refunds;
    expect(answer).toMatchObject({ status: "partially_refunded", refundedAmount: 1500 });
    expect(refund).toMatchObject({ amount: 1500, status: "succeeded" });
    const created = refundCreates(refund?.id ?? "");
    expect(created).toHaveLength(1);
    expect(created[0]?.params).toEqual({
      payment_intent: intent.id,
      amount: "1500",
      metadata: { refundId: refund?.id ?? "", reason: "Late delivery" },
    });
    const [row] = await t.sql`select provider_ref from refunds where id = ${refund?.id ?? ""}`;
    expect(String(row?.provider_ref)).toStartWith("re_");
    expect(stripe.refused).toEqual([]);
  });

  test("under an Idempotency-Key the recorded answer says pending; the refund is done all the same", async () => {
    const { order } = await paidOrder();
    const answer = await staff.trpc.admin.orders.refund.mutate({ id: order.id, idempotencyKey: `full-${order.id}` });
    expect(answer.refunds[0]?.status).toBe("pending");
    const now = await ordersService.readAdminOrder(t.ctx(), order.id);
    expect(now).toMatchObject({ status: "refunded", refundedAmount: order.total });
    expect(now.refunds[0]?.status).toBe("succeeded");
  });

  test("when Stripe cannot be reached the refund stays pending; the job finishes it, once however often it runs", async () => {
    const { order } = await paidOrder();
    await stripe.stop();
    let refundId = "";
    try {
      const answer = await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 1000 });
      refundId = answer.refunds[0]?.id ?? "";
      expect(answer.refunds[0]?.status).toBe("pending");
      expect(answer.refundedAmount).toBe(0);
    } finally {
      stripe.start();
    }
    // What the pending refund holds is not refundable twice.
    const overlapping = await trpcError(staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: order.total }));
    expect(overlapping.data.errors).toEqual([
      { path: "amount", message: `At most ${order.total - 1000} can be refunded` },
    ]);
    // The fallback waits its turn: the call after the commit usually makes it unnecessary.
    const [job] = await t.sql`select run_at from graphile_worker.jobs where key = ${`execute-refund:${refundId}`}`;
    expect(new Date(job?.run_at).getTime()).toBeGreaterThan(Date.now());
    const system = t.ctx({ kind: "system", name: "execute-refund" });
    const env = { mailer: t.deps.mailer, storefrontUrl: "http://shop.test" };
    await Promise.all([
      executeRefundTask.run(system, { refundId }, env),
      executeRefundTask.run(system, { refundId }, env),
    ]);
    await executeRefundTask.run(system, { refundId }, env);
    expect(await orderRow(t, order.id)).toMatchObject({ status: "partially_refunded", refundedAmount: 1000 });
    expect(refundCreates(refundId).filter((r) => !r.replayed)).toHaveLength(1);
    expect([...stripe.refunds.values()].filter((r) => r.metadata.refundId === refundId)).toHaveLength(1);
    expect((await eventKinds(t, order.id)).filter((k) => k === "refund_recorded")).toHaveLength(1);
  }, 20_000);

  test("a refund Stripe refuses for good closes as failed, with an event, and its amount is refundable again", async () => {
    const { order, intent } = await paidOrder();
    await stripe.stop();
    let refundId = "";
    try {
      refundId = (await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 1000 })).refunds[0]?.id ?? "";
    } finally {
      stripe.start();
    }
    // Meanwhile the merchant refunded everything in Stripe's dashboard.
    stripe.refundInDashboard(intent.id, order.total);
    await payments.executeRefund(t.ctx({ kind: "system", name: "execute-refund" }), refundId);
    const [row] = await t.sql`select status from refunds where id = ${refundId}`;
    expect(row?.status).toBe("failed");
    expect(await eventKinds(t, order.id)).toContain("refund_failed");
    await deliver(t, await stripe.signed(stripe.event("charge.refunded", stripe.charge(intent.id))));
    expect(await orderRow(t, order.id)).toMatchObject({ status: "refunded", refundedAmount: order.total });
  }, 20_000);

  test("charge.refunded arriving before our own recording settles our refund once (matched by our id in its metadata)", async () => {
    const { order, intent } = await paidOrder();
    await stripe.stop();
    let refundId = "";
    try {
      refundId = (await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 700 })).refunds[0]?.id ?? "";
    } finally {
      stripe.start();
    }
    // Stripe made the refund (the job's call) and its webhook beat our transaction recording it.
    stripe.refundInDashboard(intent.id, 700);
    const made = [...stripe.refunds.values()].at(-1);
    if (made) made.metadata = { refundId };
    await deliver(t, await stripe.signed(stripe.event("charge.refunded", stripe.charge(intent.id))));
    await payments.executeRefund(t.ctx({ kind: "system", name: "execute-refund" }), refundId);
    expect(await orderRow(t, order.id)).toMatchObject({ status: "partially_refunded", refundedAmount: 700 });
    const [count] = await t.sql`select count(*)::int as n from refunds where order_id = ${order.id}`;
    expect(count?.n).toBe(1);
  }, 20_000);

  test("a refund Stripe answers pending stays pending until its refund.updated settles it, once", async () => {
    const { order } = await paidOrder();
    stripe.refundsSettleLater = true;
    let refundId = "";
    try {
      const answer = await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 900 });
      refundId = answer.refunds[0]?.id ?? "";
      expect(answer.refunds[0]?.status).toBe("pending");
      expect(answer.refundedAmount).toBe(0);
    } finally {
      stripe.refundsSettleLater = false;
    }
    const made = [...stripe.refunds.values()].find((r) => r.metadata.refundId === refundId);
    const settled = stripe.event("refund.updated", stripe.settleRefund(made?.id ?? ""));
    expect((await deliver(t, await stripe.signed(settled))).status).toBe(200);
    await payments.executeRefund(t.ctx({ kind: "system", name: "execute-refund" }), refundId);
    expect(await orderRow(t, order.id)).toMatchObject({ status: "partially_refunded", refundedAmount: 900 });
    expect((await eventKinds(t, order.id)).filter((k) => k === "refund_recorded")).toHaveLength(1);
  });
});
