import type { Actor } from "../../src/lib/context";
import { newId } from "../../src/lib/ids";
import * as cart from "../../src/modules/cart/service";
import { placeOrder } from "../../src/modules/checkout/place-order";
import type { TestApp } from "../harness";
import { ADDRESS, flatShipping } from "./checkout";

const NOWHERE = {
  name: "Test",
  line1: "1 Test Street",
  line2: null,
  city: "Testville",
  region: null,
  postalCode: "00000",
  country: "US",
  phone: null,
};

/**
 * An order row with no lines, straight into the table: for tests of another module that only
 * need an order to exist (a promotion's redemption refers to one). Orders worth reading are placed through checkout.
 */
export async function bareOrderId(t: TestApp, customerId: string | null = null): Promise<string> {
  const id = newId();
  const address = JSON.stringify(NOWHERE);
  await t.sql`insert into orders (id, customer_id, email, currency, shipping_address, billing_address, payment_provider)
    values (${id}, ${customerId}, 'bare-order@example.test', 'USD', ${address}::jsonb, ${address}::jsonb, 'manual')`;
  return id;
}

export interface PlacedOrder {
  id: string;
  number: string;
  total: number;
  currency: string;
  /** A guest order's token (send as `X-Order-Token`); null for a customer's order. */
  token: string | null;
  lines: { id: string; variantId: string; quantity: number; total: number }[];
}

const freeShipping = new WeakMap<TestApp, Promise<string>>();

/**
 * An order placed by checkout's own transaction (placeOrder): a cart of these lines, shipped free to a
 * test address, its stock reserved, its payment row opened with the app's provider. The payment is not
 * started: the test calls ensurePayment, as checkout does after its commit. A guest's unless `customerId`.
 */
export async function placedOrder(
  t: TestApp,
  input: { lines: { variantId: string; quantity: number }[]; customerId?: string; email?: string },
): Promise<PlacedOrder> {
  const actor: Actor = input.customerId
    ? { kind: "user", userId: input.customerId, role: "customer", sessionId: "test-checkout", via: "bearer" }
    : { kind: "guest" };
  const created = await cart.createCart(t.ctx(actor), {});
  const ctx = { ...t.ctx(actor), ...(created.token && { cartToken: created.token }) };
  for (const line of input.lines) await cart.addItem(ctx, { cartId: created.id, ...line });
  if (!freeShipping.has(t)) freeShipping.set(t, flatShipping(t, ADDRESS.country, 0));
  const { order, orderToken } = await placeOrder(ctx, {
    cartId: created.id,
    email: input.email ?? "shopper@example.test",
    shippingAddress: ADDRESS,
    shippingMethodId: await freeShipping.get(t),
  });
  return {
    id: order.id,
    number: order.number,
    total: order.total,
    currency: order.currency,
    token: orderToken,
    lines: order.items.map((l) => ({ id: l.id, variantId: l.variantId, quantity: l.quantity, total: l.total })),
  };
}

/** The order mails queued for the order (send-order-email jobs not yet run), each as its kind, or `kind:refId`. (The jobs view shows no payload.) */
export async function queuedOrderMails(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.sql<{ mail: string }[]>`
    select j.payload->>'kind' || coalesce(':' || (j.payload->>'refId'), '') as mail
    from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'send-order-email' and j.payload->>'orderId' = ${orderId}`;
  return rows.map((r) => r.mail);
}
