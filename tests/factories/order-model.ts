import { executeRefundTask } from "../../src/modules/payments/tasks/execute-refund";
import { deliver } from "../../src/modules/payments/tests/fixtures";
import type { Caller, RestResponse, TestApp, TestUser } from "../harness";
import type { StripeStandIn } from "../stripe-stand-in";
import { addToCart, type CartHandle, customerCart, guestCart } from "./carts";
import { checkoutBody, checkoutRest, flatShipping } from "./checkout";
import { makeProduct } from "./products";
import { makePromotion } from "./promotions";

// The real side of the order model test (src/modules/checkout/tests/order-model.test.ts): one
// run's stock, carts and Stripe deliveries, the calls its commands make, and the books it reads
// back from the database after every command.

/** What every run shares: the app, a member of staff, a customer who owns none of the orders, the shipping method. */
export interface Shop {
  t: TestApp;
  staff: Caller;
  stranger: Caller;
  methodId: string;
  /** The Stripe stand-in the app pays through, or null for the manual provider. */
  stripe: StripeStandIn | null;
}

export { useStripeStandIn } from "../../src/modules/payments/tests/fixtures";

/** The shop for a file's runs: its staff member, a stranger and a shipping method to the test address. */
export async function openShop(t: TestApp, stripe: StripeStandIn | null): Promise<Shop> {
  return {
    t,
    staff: t.as(await t.user("staff")),
    stranger: t.as(await t.user("customer")),
    methodId: await flatShipping(t, "US", 500),
    stripe,
  };
}

/** One run's own variants and promotion code, so runs never share stock or uses. */
export interface RunStock {
  variantIds: string[];
  promotionId: string;
  code: string;
}

let runs = 0;

/** Fresh variants with these units on hand and prices, and a 10% code with `usageLimit` uses. */
export async function stockForRun(
  shop: Shop,
  variants: { onHand: number; price: number }[],
  usageLimit: number,
): Promise<RunStock> {
  const n = ++runs;
  const product = await makeProduct(shop.t, {
    title: `Model lamp ${n}`,
    variants: variants.map((v, i) => ({ ...v, options: { size: `S${i}` } })),
  });
  const code = `MODEL${n}${crypto.randomUUID().slice(0, 6).toUpperCase()}`;
  const promotion = await makePromotion(shop.t, { code, usageLimit });
  return { variantIds: product.variants.map((v) => v.id), promotionId: promotion.id, code };
}

/** A shopper's cart, filled while the stock is all there, with the run's code applied when asked. */
export interface ReadyCart {
  cart: CartHandle;
  /** The customer who owns it; null for a guest's. */
  owner: Caller | null;
}

export async function readyCart(
  shop: Shop,
  lines: { variantId: string; quantity: number }[],
  opts: { guest: boolean; code: string | null },
): Promise<ReadyCart> {
  const user: TestUser | null = opts.guest ? null : await shop.t.user("customer");
  const cart = user ? await customerCart(shop.t, user) : await guestCart(shop.t);
  for (const line of lines) await addToCart(cart, line.variantId, line.quantity);
  if (opts.code) {
    const res = await cart.rest.post(cart.path("/coupons"), { code: opts.code });
    if (res.status !== 200) throw new Error(`applying ${opts.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { cart, owner: user ? shop.t.as(user) : null };
}

export const placeOrder = (shop: Shop, ready: ReadyCart): Promise<RestResponse> =>
  checkoutRest(ready.cart, checkoutBody(ready.cart, shop.methodId));

/** A staff action on an order over REST (`/admin/orders/{id}` + `suffix`). */
export const staffPost = (shop: Shop, orderId: string, suffix: string, body: unknown, key?: string) =>
  shop.staff.rest.post(`/api/v1/admin/orders/${orderId}${suffix}`, body, {
    headers: key ? { "idempotency-key": key } : {},
  });

/** A signed Stripe delivery kept for later: delivered now, again (a duplicate) or after newer ones (reordered). */
export interface Delivery {
  id: string;
  type: string;
  signed: { payload: string; signature: string };
}

/** The event Stripe sends about `object` as it is now, signed. */
export async function stripeEvent(stripe: StripeStandIn, type: string, object: object): Promise<Delivery> {
  const event = stripe.event(type, object);
  return { id: event.id, type, signed: await stripe.signed(event) };
}

export async function deliverStripe(shop: Shop, delivery: Delivery) {
  return deliver(shop.t, delivery.signed);
}

/** The database's books for one run: what the model is checked against after every command (refunds as refundIds orders them). */
export interface Books {
  orders: { id: string; status: string; total: number; paid: number; refunded: number }[];
  lines: { id: string; orderId: string; variantId: string; quantity: number; fulfilled: number; refunded: number }[];
  events: { orderId: string; kind: string; from: string | null; to: string | null }[];
  ledger: { variantId: string; orderId: string | null; kind: string; onHand: number; reserved: number }[];
  levels: { variantId: string; onHand: number; reserved: number }[];
  payments: { orderId: string; status: string }[];
  refunds: { orderId: string; amount: number; status: string }[];
  promotion: { uses: number; redemptions: number; openRedemptions: number };
  mails: { orderId: string; sent: number }[];
  webhookEvents: number;
}

export async function readBooks(t: TestApp, run: RunStock, orderIds: string[], eventIds: string[]): Promise<Books> {
  const { sql } = t;
  const ids = orderIds.length > 0 ? orderIds : ["00000000-0000-0000-0000-000000000000"];
  const [orders, lines, events, ledger, levels, payments, refunds, [promotion], mails, [webhooks]] = await Promise.all([
    sql`select id, status, total, paid_amount as paid, refunded_amount as refunded from orders where id in ${sql(ids)}`,
    sql`select id, order_id as "orderId", variant_id as "variantId", quantity, fulfilled_quantity as fulfilled,
          refunded_quantity as refunded
        from order_lines where order_id in ${sql(ids)} order by order_id, position`,
    sql`select order_id as "orderId", kind, from_status as from, to_status as to
        from order_events where order_id in ${sql(ids)} order by created_at, id`,
    sql`select variant_id as "variantId", order_id as "orderId", kind, on_hand_delta as "onHand",
          reserved_delta as reserved
        from inventory_ledger where variant_id in ${sql(run.variantIds)} order by created_at, id`,
    sql`select variant_id as "variantId", on_hand as "onHand", reserved from inventory_levels
        where variant_id in ${sql(run.variantIds)}`,
    sql`select order_id as "orderId", status from payments where order_id in ${sql(ids)}`,
    sql`select order_id as "orderId", amount, status from refunds where order_id in ${sql(ids)} order by id`,
    sql`select p.usage_count as uses,
          (select count(*)::int from promotion_redemptions r where r.promotion_id = p.id) as redemptions,
          (select count(*)::int from promotion_redemptions r join orders o on o.id = r.order_id
            where r.promotion_id = p.id and o.status <> 'cancelled') as "openRedemptions"
        from promotions p where p.id = ${run.promotionId}`,
    sql`select split_part(key, ':', 2) as "orderId", count(*)::int as sent from email_sends
        where split_part(key, ':', 2) in ${sql(ids)} group by 1`,
    sql`select count(*)::int as n from webhook_events where id in ${sql(eventIds.length > 0 ? eventIds : [""])}`,
  ]);
  return {
    orders: orders as unknown as Books["orders"],
    lines: lines as unknown as Books["lines"],
    events: events as unknown as Books["events"],
    ledger: ledger as unknown as Books["ledger"],
    levels: levels as unknown as Books["levels"],
    payments: payments as unknown as Books["payments"],
    refunds: refunds as unknown as Books["refunds"],
    promotion: promotion as unknown as Books["promotion"],
    mails: mails as unknown as Books["mails"],
    webhookEvents: Number(webhooks?.n ?? 0),
  };
}

/** Each refund's fallback job, as if its minute had passed: the worker's own task, run once more per refund. */
export async function runRefundFallbacks(t: TestApp, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  const rows = await t.sql`select id from refunds where order_id in ${t.sql(orderIds)}`;
  const ctx = t.ctx({ kind: "system", name: "execute-refund" });
  const env = { mailer: t.deps.mailer, storefrontUrl: "http://shop.test" };
  for (const row of rows) await executeRefundTask.run(ctx, { refundId: String(row.id) }, env);
}

/**
 * The ids of the order's refunds in the order they were made (the model knows them by position).
 * By id, made under the order's lock (time-ordered UUIDv7), not created_at: a transaction's start,
 * which for two racing refunds may be the other way round.
 */
export async function refundIds(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.sql`select id from refunds where order_id = ${orderId} order by id`;
  return rows.map((r) => String(r.id));
}
