import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { placedOrder, queuedOrderMails } from "../../../../tests/factories/orders";
import { useTestApp } from "../../../../tests/harness";
import * as payments from "../service";
import { cancelUnpaid, eventKinds, ledgerKinds, orderRow, paymentRow, stockedVariant, stockOf } from "./fixtures";

// No Stripe key: the manual provider, the default.
const t = await useTestApp();

describe("ensurePayment (manual)", () => {
  test("records a pending payment with no client secret: the order waits for staff", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    expect(await payments.ensurePayment(t.ctx(), order.id)).toEqual({
      provider: "manual",
      status: "pending",
      clientSecret: null,
      amount: order.total,
      currency: "USD",
    });
    expect((await paymentRow(t, order.id))?.status).toBe("pending");
  });
});

describe("POST /admin/orders/{id}/mark-paid, admin.orders.markPaid", () => {
  test("pays a manual order: stock committed once, an event, the payment-received mail queued (REST)", async () => {
    const variantId = await stockedVariant(t, 10);
    const order = await placedOrder(t, { lines: [{ variantId, quantity: 4 }] });
    await payments.ensurePayment(t.ctx(), order.id);
    const staff = t.as(await t.user("staff"));
    const res = await staff.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: "paid", paidAmount: order.total, expiresAt: null });
    expect(res.body.payment).toMatchObject({ provider: "manual", status: "succeeded" });
    expect(res.body.events.map((e: { kind: string }) => e.kind)).toContain("status_changed");
    expect(await stockOf(t, variantId)).toEqual({ onHand: 6, reserved: 0 });
    expect(await ledgerKinds(t, order.id)).toEqual(["reserve", "commit"]);
    expect((await queuedOrderMails(t, order.id)).filter((m) => m === "payment_received")).toHaveLength(1);

    const again = await staff.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`);
    expect(again.status).toBe(409);
    expect(await ledgerKinds(t, order.id)).toEqual(["reserve", "commit"]);
  });

  test("works over tRPC and for an API key with orders:write, even with no payment row yet", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const key = await t.asKey(["orders:write"]);
    const paid = await key.trpc.admin.orders.markPaid.mutate({ id: order.id });
    expect(paid.status).toBe("paid");
    expect(paid.payment).toMatchObject({ provider: "manual", status: "succeeded", amount: order.total });
  });

  test("is 409 for an order paid through Stripe, and for a cancelled one", async () => {
    const staff = t.as(await t.user("staff"));
    // Placed while the store took payments through Stripe, before it switched to manual ones.
    const viaStripe = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    await t.sql`update orders set payment_provider = 'stripe' where id = ${viaStripe.id}`;
    await t.sql`update payments set provider = 'stripe' where order_id = ${viaStripe.id}`;
    const refused = await staff.rest.post(`/api/v1/admin/orders/${viaStripe.id}/mark-paid`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain("stripe");
    const cancelled = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    await cancelUnpaid(t, cancelled.id);
    expect((await trpcError(staff.trpc.admin.orders.markPaid.mutate({ id: cancelled.id }))).data.code).toBe("CONFLICT");
    expect((await orderRow(t, cancelled.id)).status).toBe("cancelled");
    expect(await eventKinds(t, cancelled.id)).not.toContain("payment_after_cancel");
  });

  test("customers and keys without the scope may not; an unknown order is 404", async () => {
    const order = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const customer = t.as(await t.user("customer"));
    expect((await customer.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`)).status).toBe(403);
    const reader = await t.asKey(["orders:read"]);
    expect((await reader.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`)).status).toBe(403);
    expect((await t.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`)).status).toBe(401);
    const staff = t.as(await t.user("staff"));
    expect((await staff.rest.post("/api/v1/admin/orders/01a20160-0000-7000-8000-000000000000/mark-paid")).status).toBe(
      404,
    );
    expect((await orderRow(t, order.id)).status).toBe("pending_payment");
  });
});

describe("POST /webhooks/stripe without Stripe", () => {
  test("is 400: no delivery can be verified", async () => {
    const res = await t.app.fetch(
      new Request("http://cartwright.test/webhooks/stripe", {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" },
        body: "{}",
      }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "Stripe-Signature" }] });
  });
});
