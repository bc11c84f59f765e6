import { describe, expect, test } from "bun:test";
import { deliver, useStripeStandIn } from "../../src/modules/payments/tests/fixtures";
import * as tax from "../../src/modules/tax/service";
import { addToCart, type CartHandle, customerCart, guestCart } from "../factories/carts";
import { ADDRESS, flatShipping } from "../factories/checkout";
import { makeProduct } from "../factories/products";
import { makePromotion } from "../factories/promotions";
import { type RestClient, type TestApp, useTestApp } from "../harness";
import { useSmtpServer } from "../smtp-server";

// A shopper's whole way through the store (issue 16, "Done when", first bullet): a guest cart, signing in,
// the cart merged, a code, shipping and tax, checkout, payment (manual, then Stripe through its stand-in),
// the paid order read on both transports, and the mails as a real SMTP server received them.

// A real SMTP server in this process: both apps send through nodemailer's SMTP transport (SMTP_URL) to it.
const { received, env: mailEnv } = await useSmtpServer();
const stripe = useStripeStandIn();
const manualApp = await useTestApp({ env: mailEnv });
const stripeApp = await useTestApp({ env: { ...mailEnv, ...stripe.env() } });

/** What the store sells and charges in each app's database. */
interface Store {
  methodId: string;
  apron: string;
  spoon: string;
}

/** Two products, a flat US rate, US sales tax (shipping taxed too) and a first-order code that needs an account. */
async function openStore(t: TestApp): Promise<Store> {
  const system = t.ctx({ kind: "system", name: "test-store" });
  const [apron, spoon] = await Promise.all([
    makeProduct(t, { title: "Linen apron", variants: [{ price: 2450, onHand: 10 }] }),
    makeProduct(t, { title: "Oak spoon", variants: [{ price: 899, onHand: 20 }] }),
  ]);
  await tax.createTaxRate(system, { country: "US", name: "Sales tax", rateBasisPoints: 825, appliesToShipping: true });
  await makePromotion(t, { name: "Welcome", code: "WELCOME15", percent: 15, firstOrderOnly: true });
  return {
    methodId: await flatShipping(t, "US", 500),
    apron: apron.variants[0]?.id as string,
    spoon: spoon.variants[0]?.id as string,
  };
}

/**
 * 2 aprons and 3 spoons with 15% off, US tax at 8.25% per line on the discounted amount, half-up:
 * apron 4900 - 735 = 4165, tax 343.61 -> 344; spoon 2697 - 404.55 -> 405 = 2292, tax 189.09 -> 189;
 * shipping 500, tax 41.25 -> 41. Total 7597 - 1140 + 500 + 574 = 7531.
 */
const EXPECTED_TOTALS = { subtotal: 7597, discountTotal: 1140, shippingTotal: 500, taxTotal: 574, total: 7531 };

/** The storefront's steps after sign-in: the code, the destination and a method from the cart's own list. */
async function readyForCheckout(rest: RestClient, cartId: string, store: Store) {
  const path = `/api/v1/carts/${cartId}`;
  const coupon = await rest.post(`${path}/coupons`, { code: "welcome15" });
  expect(coupon.status).toBe(200);
  expect(coupon.body.couponCode).toBe("WELCOME15");
  expect((await rest.patch(path, { country: "US", postalCode: ADDRESS.postalCode })).status).toBe(200);
  const methods = await rest.get(`/api/v1/shipping-methods?cartId=${cartId}`);
  expect(methods.body.items).toEqual([expect.objectContaining({ id: store.methodId, total: 500, available: true })]);
  expect((await rest.patch(path, { shippingMethodId: store.methodId })).status).toBe(200);
  // What the shopper sees right before paying: the order must say the same.
  const cart = await rest.get(path);
  expect(cart.status).toBe(200);
  expect(cart.body.totals).toMatchObject(EXPECTED_TOTALS);
  expect(cart.body.notices).toEqual([]);
  return cart.body;
}

type CartView = Awaited<ReturnType<typeof readyForCheckout>>;

/** The order as its customer reads it on REST and tRPC: paid in full, with the cart's totals, lines and shipping. */
async function expectPaidAsCartShowed(t: TestApp, headers: Record<string, string>, orderId: string, cart: CartView) {
  const viaRest = await t.rest.get(`/api/v1/me/orders/${orderId}`, { headers });
  expect(viaRest.status).toBe(200);
  const viaTrpc = await t.trpcWith(headers).me.orders.get.query({ id: orderId });
  for (const order of [viaRest.body, viaTrpc]) {
    const { subtotal, discountTotal, shippingTotal, taxTotal, total } = cart.totals;
    expect(order).toMatchObject({ status: "paid", subtotal, discountTotal, shippingTotal, taxTotal, total });
    expect(order.paidAmount).toBe(total);
    expect(order.expiresAt).toBeNull();
    expect(order.paidAt).not.toBeNull();
    expect(order.payment).toMatchObject({ status: "succeeded", amount: total, currency: "USD" });
    expect(order.items).toEqual(
      cart.items.map((line: CartView["items"][number]) =>
        expect.objectContaining({
          variantId: line.variantId,
          title: line.title,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          subtotal: line.subtotal,
          discount: line.discount,
          tax: line.tax,
          total: line.total,
        }),
      ),
    );
    const { available: _, ...shipping } = cart.shipping;
    expect(order.shipping).toEqual(shipping);
    expect(order.promotions).toEqual(
      cart.promotions.map((p: CartView["promotions"][number]) => ({
        promotionId: p.id,
        code: p.code,
        name: p.name,
        amount: p.amount,
      })),
    );
  }
  expect(viaTrpc).toEqual(viaRest.body);
}

/** On hand and reserved of the apron and the spoon. */
async function levelsOf(t: TestApp, store: Store) {
  const rows = await t.sql`select variant_id, on_hand, reserved from inventory_levels
    where variant_id in ${t.sql([store.apron, store.spoon])}`;
  const level = (id: string) => rows.find((l) => l.variant_id === id);
  return { apron: level(store.apron), spoon: level(store.spoon) };
}

/** Each line's units moved from reserved to sold: on hand down by them, nothing held, one reserve and one commit. */
async function expectStockSold(t: TestApp, store: Store, orderId: string) {
  expect(await levelsOf(t, store)).toEqual({
    apron: { variant_id: store.apron, on_hand: 8, reserved: 0 },
    spoon: { variant_id: store.spoon, on_hand: 17, reserved: 0 },
  });
  const ledger = await t.sql`select variant_id, kind, on_hand_delta, reserved_delta from inventory_ledger
    where order_id = ${orderId} order by created_at, id`;
  const entriesOf = (variantId: string) =>
    ledger.filter((e) => e.variant_id === variantId).map(({ variant_id: _, ...e }) => e);
  for (const [variantId, units] of [
    [store.apron, 2],
    [store.spoon, 3],
  ] as const) {
    expect(entriesOf(variantId)).toEqual([
      { kind: "reserve", on_hand_delta: 0, reserved_delta: units },
      { kind: "commit", on_hand_delta: -units, reserved_delta: -units },
    ]);
  }
  expect(ledger).toHaveLength(4);
}

/** The subjects of the mails about this order that reached the SMTP server, and whether each names a line. */
function mailsAbout(orderNumber: string, to: string) {
  return received
    .filter((m) => m.raw.includes(orderNumber))
    .map((m) => {
      // Quoted-printable soft line breaks could split a title; joined, the text reads as written.
      const body = m.raw.replace(/=\r\n/g, "");
      return {
        to: m.to,
        subject: body.match(/^Subject: (.*)$/m)?.[1]?.trim(),
        namesLines: body.includes("Linen apron") && body.includes("Oak spoon"),
      };
    })
    .filter((m) => m.to.includes(to));
}

const mail = (to: string, subject: string) => ({ to: [to], subject, namesLines: true });

describe("checkout journey", () => {
  test("manual: a guest cart, registration and merge, a code, REST checkout, staff marks it paid, two mails", async () => {
    const t = manualApp;
    const store = await openStore(t);
    const guest = await guestCart(t);
    await addToCart(guest, store.apron, 2);
    await addToCart(guest, store.spoon, 3);
    // The welcome code is for a first order of an account: a guest is refused it.
    const early = await guest.rest.post(guest.path("/coupons"), { code: "WELCOME15" });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: "COUPON_INVALID" });

    const email = `journey-${crypto.randomUUID().slice(0, 8)}@example.test`;
    const registered = await t.rest.post("/api/v1/auth/register", {
      email,
      password: "a long walk to the till",
      name: "Ada Lovelace",
      session: "bearer",
    });
    expect(registered.status).toBe(201);
    const headers = { authorization: `Bearer ${registered.body.token}` };
    const me = t.rest.with(headers);
    // With no cart of her own, the guest cart becomes hers.
    const merged = await me.post(guest.path("/merge"), undefined, { headers: { "x-cart-token": guest.token ?? "" } });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ owner: "customer", capped: [] });
    const cart = await readyForCheckout(me, merged.body.id, store);

    const key = crypto.randomUUID();
    const body = {
      cartId: cart.id,
      shippingAddress: ADDRESS,
      shippingMethodId: store.methodId,
      expectedTotal: cart.totals.total,
    };
    const placed = await me.post("/api/v1/checkout", body, { headers: { "idempotency-key": key } });
    expect(placed.status).toBe(201);
    const { order } = placed.body;
    expect(order).toMatchObject({ status: "pending_payment", email, total: cart.totals.total, paidAmount: 0 });
    expect(placed.body.payment).toMatchObject({ provider: "manual", status: "pending", clientSecret: null });
    // A storefront that lost the answer asks again with the same key: the same order, nothing reserved twice.
    const replay = await me.post("/api/v1/checkout", body, { headers: { "idempotency-key": key } });
    expect(replay.body.order.id).toBe(order.id);
    expect(await levelsOf(t, store)).toEqual({
      apron: { variant_id: store.apron, on_hand: 10, reserved: 2 },
      spoon: { variant_id: store.spoon, on_hand: 20, reserved: 3 },
    });
    await t.runJobs();
    expect(mailsAbout(order.number, email)).toEqual([mail(email, `Order ${order.number} confirmed`)]);

    const staff = t.as(await t.user("staff"));
    const paid = await staff.rest.post(`/api/v1/admin/orders/${order.id}/mark-paid`);
    expect(paid.status).toBe(200);
    await expectPaidAsCartShowed(t, headers, order.id, cart);
    await expectStockSold(t, store, order.id);

    await t.runJobs();
    expect(mailsAbout(order.number, email)).toEqual([
      mail(email, `Order ${order.number} confirmed`),
      mail(email, `Payment received for order ${order.number}`),
    ]);
  }, 30_000);

  test("Stripe: a returning customer signs in, the carts merge, tRPC checkout, the signed webhook pays it", async () => {
    const t = stripeApp;
    const store = await openStore(t);
    // Earlier, on another device, she left a spoon in her cart.
    const ada = await t.user("customer");
    await addToCart(await customerCart(t, ada), store.spoon, 1);

    const guest: CartHandle = await guestCart(t);
    await addToCart(guest, store.apron, 2);
    await addToCart(guest, store.spoon, 2);
    const signedIn = await t.rest.post("/api/v1/auth/sessions", {
      email: ada.email,
      password: ada.password,
      session: "bearer",
    });
    expect(signedIn.status).toBe(201);
    const headers = { authorization: `Bearer ${signedIn.body.token}` };
    const me = t.rest.with(headers);
    const merged = await me.post(guest.path("/merge"), undefined, { headers: { "x-cart-token": guest.token ?? "" } });
    expect(merged.status).toBe(200);
    const units = Object.fromEntries(
      merged.body.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity]),
    );
    expect(units).toEqual({ [store.apron]: 2, [store.spoon]: 3 });
    const cart = await readyForCheckout(me, merged.body.id, store);

    const placed = await t.trpcWith(headers).checkout.placeOrder.mutate({
      cartId: cart.id,
      shippingAddress: ADDRESS,
      shippingMethodId: store.methodId,
      expectedTotal: cart.totals.total,
      idempotencyKey: crypto.randomUUID(),
    });
    expect(placed.order).toMatchObject({ status: "pending_payment", email: ada.email, total: cart.totals.total });
    const intent = stripe.intentFor(placed.order.id);
    expect(intent).toMatchObject({
      amount: cart.totals.total,
      currency: "usd",
      status: "requires_payment_method",
      metadata: { orderId: placed.order.id },
    });
    expect(placed.payment).toMatchObject({ provider: "stripe", status: "pending", amount: cart.totals.total });
    expect(placed.payment.clientSecret).toBe(intent?.client_secret as string);

    // Stripe.js confirms with the client secret; Stripe then tells the server, signed.
    const succeeded = stripe.succeed(intent?.id as string);
    const receipt = await deliver(t, await stripe.signed(stripe.event("payment_intent.succeeded", succeeded)));
    expect(receipt).toMatchObject({ status: 200, body: { duplicate: false } });
    await expectPaidAsCartShowed(t, headers, placed.order.id, cart);
    await expectStockSold(t, store, placed.order.id);
    expect(stripe.refused).toEqual([]);

    await t.runJobs();
    expect(mailsAbout(placed.order.number, ada.email)).toEqual([
      mail(ada.email, `Order ${placed.order.number} confirmed`),
      mail(ada.email, `Payment received for order ${placed.order.number}`),
    ]);
  }, 30_000);
});
