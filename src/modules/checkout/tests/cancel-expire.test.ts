import { beforeAll, describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { cartWith, checkoutBody, checkoutRest, flatShipping } from "../../../../tests/factories/checkout";
import { makeProduct } from "../../../../tests/factories/products";
import { makePromotion } from "../../../../tests/factories/promotions";
import { type TestUser, useTestApp } from "../../../../tests/harness";
import { crontab } from "../../../jobs/tasks";
import * as checkout from "../service";

const t = await useTestApp();
let methodId: string;

beforeAll(async () => {
  methodId = await flatShipping(t, "US", 500);
});

const levelOf = async (variantId: string) =>
  (await t.sql`select on_hand, reserved from inventory_levels where variant_id = ${variantId}`)[0];
const usesOf = async (promotionId: string) =>
  (await t.sql`select usage_count from promotions where id = ${promotionId}`)[0]?.usage_count;

/** A placed order for 2 units of a fresh variant (4 on hand), with a 10% code; as `user` or a guest. */
async function placed(user?: TestUser) {
  const product = await makeProduct(t, { title: "Cancellable", variants: [{ price: 1000, onHand: 4 }] });
  const variantId = product.variants[0]?.id as string;
  const promo = await makePromotion(t, { code: `C${crypto.randomUUID().slice(0, 8)}`, usageLimit: 5 });
  const cart = await cartWith(t, [{ variantId, quantity: 2 }], user);
  await cart.rest.post(cart.path("/coupons"), { code: promo.code });
  const res = await checkoutRest(cart, checkoutBody(cart, methodId));
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${JSON.stringify(res.body)}`);
  return { order: res.body.order, orderToken: res.body.orderToken, variantId, promo };
}

describe("cancelling an order", () => {
  test("the customer cancels an unpaid order: stock and the promotion use return, an event says who", async () => {
    const ada = await t.user();
    const { order, variantId, promo } = await placed(ada);
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 2 });
    expect(await usesOf(promo.id)).toBe(1);
    const res = await t.as(ada).rest.post(`/api/v1/me/orders/${order.id}/cancel`, { reason: "Wrong size" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "cancelled", expiresAt: null });
    expect(res.body.cancelledAt).not.toBeNull();
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await usesOf(promo.id)).toBe(0);
    const events =
      await t.sql`select kind, from_status, to_status, actor, reason from order_events where order_id = ${order.id} order by created_at, id`;
    expect(events.at(-1)).toEqual({
      kind: "status_changed",
      from_status: "pending_payment",
      to_status: "cancelled",
      actor: `user:${ada.id}`,
      reason: "Wrong size",
    });
    // Cancelled is final: a second cancel is a 409 and gives nothing back twice.
    const again = await t.as(ada).rest.post(`/api/v1/me/orders/${order.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 0 });
  });

  test("over tRPC too; another customer's order is 404 and stays as it was", async () => {
    const ada = await t.user();
    const { order, variantId } = await placed(ada);
    const grace = t.as(await t.user());
    expect((await grace.rest.post(`/api/v1/me/orders/${order.id}/cancel`, {})).status).toBe(404);
    expect((await trpcError(grace.trpc.me.orders.cancel.mutate({ id: order.id }))).data.code).toBe("NOT_FOUND");
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 2 });
    const mine = await t.as(ada).trpc.me.orders.cancel.mutate({ id: order.id });
    expect(mine.status).toBe("cancelled");
  });

  test("staff cancel through the admin route (API key with orders:write); orders:read is 403", async () => {
    const { order, variantId } = await placed();
    const reader = await t.asKey(["orders:read"]);
    expect((await reader.rest.post(`/api/v1/admin/orders/${order.id}/cancel`, {})).status).toBe(403);
    const writer = await t.asKey(["orders:write"]);
    const res = await writer.rest.post(`/api/v1/admin/orders/${order.id}/cancel`, { reason: "Fraud check failed" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect(res.body.events.map((e: { kind: string }) => e.kind)).toEqual(["placed", "status_changed"]);
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 0 });
  });
});

describe("cancelling a paid order", () => {
  test("staff cancel a paid order: it is refunded in full and its units return to the shelf", async () => {
    const { order, variantId } = await placed();
    const staff = t.as(await t.user("staff"));
    expect((await staff.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`, {})).status).toBe(200);
    expect(await levelOf(variantId)).toEqual({ on_hand: 2, reserved: 0 });
    const res = await staff.rest.post(`/api/v1/admin/orders/${order.id}/cancel`, { reason: "Out of business" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "cancelled", paidAmount: order.total, refundedAmount: order.total });
    expect(res.body.refunds).toEqual([expect.objectContaining({ amount: order.total, status: "succeeded" })]);
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 0 });
    const [ledger] =
      await t.sql`select count(*)::int as n from inventory_ledger where order_id = ${order.id} and kind = 'restock'`;
    expect(ledger?.n).toBe(1);
  });

  test("a customer cannot cancel a paid order (409); a fulfilled one cannot be cancelled at all", async () => {
    const ada = await t.user();
    const { order } = await placed(ada);
    const staff = t.as(await t.user("staff"));
    await staff.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`, {});
    expect((await t.as(ada).rest.post(`/api/v1/me/orders/${order.id}/cancel`, {})).status).toBe(409);
    await staff.rest.post(`/api/v1/admin/orders/${order.id}/fulfillments`, { carrier: "UPS", trackingNumber: "1Z1" });
    const refused = await staff.rest.post(`/api/v1/admin/orders/${order.id}/cancel`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.orderStatus).toBe("fulfilled");
  });
});

describe("expireOrders", () => {
  test("an unpaid order past its deadline is cancelled, its stock and promotion use return; a rerun changes nothing", async () => {
    const { order, variantId, promo } = await placed();
    const fresh = await placed();
    await t.sql`update orders set expires_at = now() - interval '1 minute' where id = ${order.id}`;
    const system = t.ctx({ kind: "system", name: "expire-orders" });
    expect(await checkout.expireOrders(system)).toBe(1);
    const [row] = await t.sql`select status from orders where id = ${order.id}`;
    expect(row?.status).toBe("cancelled");
    expect(await levelOf(variantId)).toEqual({ on_hand: 4, reserved: 0 });
    expect(await usesOf(promo.id)).toBe(0);
    const [event] =
      await t.sql`select actor, reason from order_events where order_id = ${order.id} and to_status = 'cancelled'`;
    expect(event).toEqual({ actor: "system:expire-orders", reason: "not paid in time" });
    // The order still within its time is untouched, and a second run finds nothing to do.
    expect(await checkout.expireOrders(system)).toBe(0);
    expect(await levelOf(fresh.variantId)).toEqual({ on_hand: 4, reserved: 2 });
  });

  test("an order whose cancellation fails holds back neither the others nor the next run", async () => {
    const broken = await placed();
    const due = await placed();
    await t.sql`update orders set expires_at = now() - interval '2 minutes' where id = ${broken.order.id}`;
    await t.sql`update orders set expires_at = now() - interval '1 minute' where id = ${due.order.id}`;
    // Books that disagree with the ledger: nothing is reserved to release, so its cancellation is refused.
    await t.sql`update inventory_levels set reserved = 0 where variant_id = ${broken.variantId}`;
    const system = t.ctx({ kind: "system", name: "expire-orders" });
    expect(await checkout.expireOrders(system)).toBe(1);
    const rows = await t.sql`select id, status from orders where id in (${broken.order.id}, ${due.order.id})`;
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [broken.order.id]: "pending_payment",
      [due.order.id]: "cancelled",
    });
    expect(await levelOf(due.variantId)).toEqual({ on_hand: 4, reserved: 0 });
  });

  test("the deadline is ORDER_PAYMENT_TIMEOUT_MINUTES after placing, and the worker runs the expiry every minute", async () => {
    const { order } = await placed();
    const [row] =
      await t.sql`select extract(epoch from expires_at - created_at)::int as seconds from orders where id = ${order.id}`;
    expect(row?.seconds).toBe(30 * 60);
    expect(crontab).toContain("* * * * * expire-orders");
  });
});
