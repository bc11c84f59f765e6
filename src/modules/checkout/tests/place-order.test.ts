import { beforeAll, describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, guestCart } from "../../../../tests/factories/carts";
import { ADDRESS, cartWith, checkoutBody, checkoutRest, flatShipping } from "../../../../tests/factories/checkout";
import { makeProduct } from "../../../../tests/factories/products";
import { makePromotion } from "../../../../tests/factories/promotions";
import { type Caller, useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
let methodId: string;
let admin: Caller;

const levelOf = async (variantId: string) =>
  (await t.sql`select on_hand, reserved from inventory_levels where variant_id = ${variantId}`)[0];

beforeAll(async () => {
  methodId = await flatShipping(t, "US", 500);
  admin = t.as(await t.user("admin"));
});

describe("placeOrder", () => {
  test("a guest checks out over REST: the order has the cart's totals, the stock is reserved, the cart is gone", async () => {
    const product = await makeProduct(t, { title: "Teapot", variants: [{ price: 2500, onHand: 10 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 2 }]);
    const priced = await cart.rest.patch(cart.path(), { country: "US", shippingMethodId: methodId });
    const res = await checkoutRest(cart, checkoutBody(cart, methodId));
    expect(res.status).toBe(201);
    const { order, orderToken, payment } = res.body;
    expect(order).toMatchObject({
      status: "pending_payment",
      email: "guest@example.test",
      customerId: null,
      subtotal: 5000,
      shippingTotal: 500,
      total: priced.body.totals.total,
      shippingAddress: { ...ADDRESS, line2: null, region: null, phone: null },
      items: [{ variantId, quantity: 2, unitPrice: 2500, subtotal: 5000, total: 5000 }],
    });
    expect(order.number).toMatch(/^CW-\d{6,}$/);
    expect(order.expiresAt).not.toBeNull();
    expect(orderToken).toMatch(/^ot_/);
    expect(payment).toMatchObject({ provider: "manual", amount: order.total, currency: "USD" });
    expect(await levelOf(variantId)).toEqual({ on_hand: 10, reserved: 2 });
    const ledger =
      await t.sql`select kind, reserved_delta, order_id from inventory_ledger where variant_id = ${variantId} and kind = 'reserve'`;
    expect([...ledger]).toEqual([{ kind: "reserve", reserved_delta: 2, order_id: order.id }]);
    // The cart became the order: it is no longer there to add to or to check out again.
    expect((await cart.rest.get(cart.path())).status).toBe(404);
    expect((await checkoutRest(cart, checkoutBody(cart, methodId))).status).toBe(404);
  });

  test("a guest reads the order with its token; another token or none is 404 on both transports", async () => {
    const product = await makeProduct(t, { title: "Kettle", variants: [{ price: 4000, onHand: 5 }] });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    const placed = (await checkoutRest(cart, checkoutBody(cart, methodId))).body;
    const path = `/api/v1/orders/${placed.order.id}`;
    const mine = await t.rest.get(path, { headers: { "x-order-token": placed.orderToken } });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: placed.order.id, total: placed.order.total });
    const viaTrpc = await t.trpcWith({ "x-order-token": placed.orderToken }).orders.get.query({ id: placed.order.id });
    expect(viaTrpc.number).toBe(placed.order.number);

    const other = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    const second = (await checkoutRest(other, checkoutBody(other, methodId))).body;
    expect((await t.rest.get(path, { headers: { "x-order-token": second.orderToken } })).status).toBe(404);
    expect((await t.rest.get(path)).status).toBe(404);
    const wrong = t.trpcWith({ "x-order-token": second.orderToken });
    expect((await trpcError(wrong.orders.get.query({ id: placed.order.id }))).data.code).toBe("NOT_FOUND");
  });

  test("a customer checks out over tRPC and finds the order in me.orders; another customer gets 404", async () => {
    const ada = await t.user();
    const product = await makeProduct(t, { title: "Mug", variants: [{ price: 1200, onHand: 5 }] });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 3 }], ada);
    const placed = await t
      .as(ada)
      .trpc.checkout.placeOrder.mutate({ cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: methodId });
    expect(placed.orderToken).toBeNull();
    expect(placed.order).toMatchObject({ customerId: ada.id, email: ada.email, subtotal: 3600, total: 4100 });
    const list = await t.as(ada).rest.get("/api/v1/me/orders");
    expect(list.body.items).toEqual([expect.objectContaining({ id: placed.order.id, itemCount: 3, total: 4100 })]);
    expect((await t.as(ada).trpc.me.orders.get.query({ id: placed.order.id })).items).toHaveLength(1);
    const [row] = await t.sql`select orders_placed from users where id = ${ada.id}`;
    expect(row?.orders_placed).toBe(1);

    const grace = t.as(await t.user());
    expect((await grace.rest.get(`/api/v1/me/orders/${placed.order.id}`)).status).toBe(404);
    expect((await trpcError(grace.trpc.me.orders.get.query({ id: placed.order.id }))).data.code).toBe("NOT_FOUND");
    expect((await grace.rest.get("/api/v1/me/orders")).body.items).toEqual([]);
  });

  test("a saved address is snapshotted: editing it later leaves the order as placed", async () => {
    const ada = await t.user();
    const me = t.as(ada);
    const saved = await me.rest.post("/api/v1/me/addresses", { ...ADDRESS, name: "Ada at home" });
    const product = await makeProduct(t, { title: "Spoon", variants: [{ price: 300, onHand: 5 }] });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }], ada);
    const res = await checkoutRest(cart, {
      cartId: cart.id,
      shippingAddress: { addressId: saved.body.id },
      shippingMethodId: methodId,
    });
    expect(res.status).toBe(201);
    await me.rest.patch(`/api/v1/me/addresses/${saved.body.id}`, { name: "Ada moved" });
    await admin.rest.patch(`/api/v1/admin/variants/${product.variants[0]?.id}`, { price: 999 });
    const order = (await me.rest.get(`/api/v1/me/orders/${res.body.order.id}`)).body;
    expect(order.shippingAddress.name).toBe("Ada at home");
    expect(order.billingAddress.name).toBe("Ada at home");
    expect(order.items[0].unitPrice).toBe(300);
  });

  test("a code and an automatic promotion are priced into the order and redeemed once each", async () => {
    const product = await makeProduct(t, { title: "Lamp", variants: [{ price: 10_000, onHand: 5 }] });
    const code = await makePromotion(t, { code: "LAMP20", percent: 20, stackable: true });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    await cart.rest.post(cart.path("/coupons"), { code: "lamp20" });
    const res = await checkoutRest(cart, checkoutBody(cart, methodId));
    expect(res.status).toBe(201);
    expect(res.body.order.promotions).toEqual([
      expect.objectContaining({ promotionId: code.id, code: "LAMP20", amount: 2000 }),
    ]);
    expect(res.body.order).toMatchObject({ discountTotal: 2000, total: 8500 });
    const [uses] = await t.sql`select usage_count from promotions where id = ${code.id}`;
    expect(uses?.usage_count).toBe(1);
  });

  test("an order with nothing to pay is placed paid: its stock sold, its mails queued", async () => {
    const product = await makeProduct(t, { title: "Sample", variants: [{ price: 1200, onHand: 4 }] });
    const variantId = product.variants[0]?.id as string;
    await makePromotion(t, { code: "ALLFREE", percent: 100 });
    const freeShipping = await flatShipping(t, "US", 0);
    const cart = await cartWith(t, [{ variantId, quantity: 3 }]);
    expect((await cart.rest.post(cart.path("/coupons"), { code: "allfree" })).status).toBe(200);
    const res = await checkoutRest(cart, checkoutBody(cart, freeShipping));
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({ status: "paid", total: 0, paidAmount: 0, expiresAt: null });
    expect(res.body.order.payment).toMatchObject({ provider: "manual", status: "succeeded", amount: 0 });
    expect(res.body.payment).toMatchObject({ status: "succeeded", amount: 0, clientSecret: null });
    expect(await levelOf(variantId)).toEqual({ on_hand: 1, reserved: 0 });
    const ledger = await t.sql`select kind from inventory_ledger where order_id = ${res.body.order.id} order by id`;
    expect(ledger.map((l) => l.kind)).toEqual(["reserve", "commit"]);
    const mails = await t.sql`
      select j.payload->>'kind' as kind from graphile_worker._private_jobs j
      where j.payload->>'orderId' = ${res.body.order.id} order by j.id`;
    expect(mails.map((m) => m.kind)).toEqual(["confirmation", "payment_received"]);
  });
});

describe("placeOrder refusals", () => {
  test("the same Idempotency-Key twice is one order and one reservation; with another body it is 422", async () => {
    const product = await makeProduct(t, { title: "Vase", variants: [{ price: 700, onHand: 9 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 2 }]);
    const body = checkoutBody(cart, methodId);
    const first = await checkoutRest(cart, body, "order-key-1");
    const again = await checkoutRest(cart, body, "order-key-1");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.order.id).toBe(first.body.order.id);
    expect(again.body.orderToken).toBe(first.body.orderToken);
    expect(await levelOf(variantId)).toEqual({ on_hand: 9, reserved: 2 });
    const reused = await checkoutRest(cart, { ...body, email: "someone-else@example.test" }, "order-key-1");
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // One order holds the vase, whatever was retried.
    const [count] =
      await t.sql`select count(distinct order_id)::int as n from order_lines where variant_id = ${variantId}`;
    expect(count?.n).toBe(1);
  });

  test("over tRPC the key travels as idempotencyKey: a retry answers the same order and its payment", async () => {
    const ada = await t.user();
    const product = await makeProduct(t, { title: "Tray", variants: [{ price: 650, onHand: 9 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 1 }], ada);
    const input = { cartId: cart.id, shippingAddress: ADDRESS, shippingMethodId: methodId, idempotencyKey: "trpc-1" };
    const first = await t.as(ada).trpc.checkout.placeOrder.mutate(input);
    const again = await t.as(ada).trpc.checkout.placeOrder.mutate(input);
    expect(again.order.id).toBe(first.order.id);
    expect(again.payment).toEqual(first.payment);
    expect(first.order.payment).toMatchObject({ provider: "manual", status: "pending", amount: first.order.total });
    expect(await levelOf(variantId)).toEqual({ on_hand: 9, reserved: 1 });
    const other = await trpcError(
      t.as(ada).trpc.checkout.placeOrder.mutate({ ...input, billingAddress: { ...ADDRESS, name: "Someone" } }),
    );
    expect(other.data.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  test("bad input is a 400 naming the field and writes nothing", async () => {
    const product = await makeProduct(t, { title: "Bowl", variants: [{ price: 800, onHand: 3 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 1 }]);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...checkoutBody(cart, methodId), email: undefined }, "email"],
      [{ ...checkoutBody(cart, methodId), total: 1 }, "total"],
      [{ ...checkoutBody(cart, methodId), shippingAddress: { ...ADDRESS, country: "XX" } }, "shippingAddress"],
      [{ ...checkoutBody(cart, methodId), shippingMethodId: "not-a-uuid" }, "shippingMethodId"],
      [{ ...checkoutBody(cart, methodId), shippingAddress: { addressId: crypto.randomUUID() } }, "shippingAddress"],
    ];
    for (const [body, field] of cases) {
      const res = await checkoutRest(cart, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(field);
    }
    expect(await levelOf(variantId)).toEqual({ on_hand: 3, reserved: 0 });
    expect((await cart.rest.get(cart.path())).status).toBe(200);
  });

  test("a method that does not ship to the address is 400; a changed total is 409 PRICE_CHANGED", async () => {
    const elsewhere = await flatShipping(t, "IS", 900);
    const product = await makeProduct(t, { title: "Plate", variants: [{ price: 1500, onHand: 3 }] });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    const wrongMethod = await checkoutRest(cart, checkoutBody(cart, elsewhere));
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.body.errors).toEqual([expect.objectContaining({ path: "shippingMethodId" })]);
    const stale = await checkoutRest(cart, { ...checkoutBody(cart, methodId), expectedTotal: 1500 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "PRICE_CHANGED", total: 2000 });
    expect((await checkoutRest(cart, { ...checkoutBody(cart, methodId), expectedTotal: 2000 })).status).toBe(201);
  });

  test("an empty cart, an archived item and more than is in stock are refused", async () => {
    const empty = await guestCart(t);
    const none = await checkoutRest(empty, checkoutBody(empty, methodId));
    expect(none.status).toBe(409);
    expect(none.body.detail).toContain("empty");

    const product = await makeProduct(t, { title: "Jug", variants: [{ price: 900, onHand: 4 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 3 }]);
    await t.sql`update inventory_levels set on_hand = 2 where variant_id = ${variantId}`;
    const short = await checkoutRest(cart, checkoutBody(cart, methodId));
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({ code: "OUT_OF_STOCK", available: 2 });

    const archived = await makeProduct(t, { title: "Old jug", variants: [{ price: 900, onHand: 4 }] });
    const other = await cartWith(t, [{ variantId: archived.variants[0]?.id as string, quantity: 1 }]);
    await admin.rest.patch(`/api/v1/admin/products/${archived.id}`, { status: "archived" });
    const gone = await checkoutRest(other, checkoutBody(other, methodId));
    expect(gone.status).toBe(409);
    expect(gone.body.errors).toEqual([expect.objectContaining({ path: "items.0" })]);
  });

  test("API keys cannot check out (403); another shopper's cart is 404", async () => {
    const product = await makeProduct(t, { title: "Cup", variants: [{ price: 400, onHand: 4 }] });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    const key = await t.asKey(["orders:write"]);
    expect((await key.rest.post("/api/v1/checkout", checkoutBody(cart, methodId))).status).toBe(403);
    const stranger = await guestCart(t);
    await addToCart(stranger, product.variants[0]?.id as string, 1);
    const theirs = await stranger.rest.post("/api/v1/checkout", { ...checkoutBody(cart, methodId) });
    expect(theirs.status).toBe(404);
  });

  test("a variant or product an order references cannot be deleted (409); the order still reads", async () => {
    const product = await makeProduct(t, {
      title: "Chair",
      options: [{ name: "Color", values: ["Oak", "Ash"] }],
      variants: [
        { price: 5000, onHand: 2, options: { Color: "Oak" } },
        { price: 5500, onHand: 2, options: { Color: "Ash" } },
      ],
    });
    const cart = await cartWith(t, [{ variantId: product.variants[0]?.id as string, quantity: 1 }]);
    const placed = (await checkoutRest(cart, checkoutBody(cart, methodId))).body;
    expect((await admin.rest.delete(`/api/v1/admin/variants/${product.variants[0]?.id}`)).status).toBe(409);
    expect((await admin.rest.delete(`/api/v1/admin/products/${product.id}`)).status).toBe(409);
    const order = await t.rest.get(`/api/v1/orders/${placed.order.id}`, {
      headers: { "x-order-token": placed.orderToken },
    });
    expect(order.body.items[0].title).toBe("Chair");
  });
});
