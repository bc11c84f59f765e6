import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { PREPARED } from "../../db/client";
import { carts, type OrderAddressSnapshot, type orderLines, orders, users } from "../../db/schema";
import { compiled, genericPlansInTx, statement } from "../../db/statement";
import { requireShopper } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError, fieldError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { hashToken, randomToken } from "../../lib/tokens";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import * as addressBook from "../addresses/service";
import { type CartQuote, lockCartRows, priceQuote, quoteCart } from "../cart/service";
import * as catalog from "../catalog/service";
import { type Order, OrderAddress } from "../orders/schemas";
import * as ordersModule from "../orders/service";
import * as payments from "../payments/service";
import type { PricingResult } from "../pricing/service";
import * as pricing from "../pricing/service";
import type { CouponRefusal } from "../promotions/service";
import * as promotions from "../promotions/service";
import { type CheckoutAddress, PlaceOrderInput } from "./schemas";

/** What a placed order hands back: the order as written, and a guest's token (shown once). */
export interface Placed {
  order: Order;
  orderToken: string | null;
}

/**
 * Turns the caller's cart into an order in one transaction (domain.md "Orders"):
 * re-priced now, every line's stock reserved (all or none, rows locked in variant
 * order so concurrent checkouts queue instead of deadlocking), promotions redeemed
 * within their limits, the order snapshotted, the cart converted, the confirmation
 * mail and the search's stock update queued, its payment row opened. No outside
 * service is called here: a remote provider's payment is made after the commit (./service.ts).
 */
export async function placeOrder(ctx: Ctx, raw: z.input<typeof PlaceOrderInput>): Promise<Placed> {
  requireShopper(ctx.actor);
  const input = PlaceOrderInput.parse(raw);
  // Joined, not a savepoint, under an idempotency record: a failed checkout fails that record's transaction too.
  return inTransaction(ctx, (tx) => placeInTx(tx, input), { join: true });
}

async function placeInTx(tx: TxCtx, input: PlaceOrderInput): Promise<Placed> {
  // The cart's lock first: a second checkout of the same cart waits here, then finds it converted (404).
  // Every statement of a checkout is by key: generic plans, sent with the lock, not waited for apart.
  const [, rows] = await Promise.all([genericPlansInTx(tx.db), lockCartRows(tx, input.cartId)]);
  const shippingAddress = await snapshotOf(tx, input.shippingAddress, "shippingAddress");
  const billingAddress = input.billingAddress
    ? await snapshotOf(tx, input.billingAddress, "billingAddress")
    : shippingAddress;
  // The shipping address is the destination now: its country picks the shipping methods and the tax.
  const quote = await quoteCart(tx, { ...rows, country: shippingAddress.country, region: shippingAddress.region });
  assertBuyable(quote.lines);
  if (quote.refusedCode)
    throw promotions.couponRefused(quote.refusedCode.reason as CouponRefusal, quote.refusedCode.code);
  const methodId = input.shippingMethodId ?? rows.shippingMethodId;
  const method = quote.methods.find((m) => m.id === methodId) ?? null;
  if (!method) {
    throw fieldError(
      "shippingMethodId",
      methodId ? "This method does not ship to the shipping address" : "Choose a shipping method",
    );
  }
  const priced = priceQuote(quote, method);
  if (priced.shipping && !priced.shipping.available) {
    throw fieldError("shippingMethodId", "This method cannot ship this cart (too heavy): choose another");
  }
  if (input.expectedTotal !== undefined && input.expectedTotal !== priced.total) {
    throw new AppError("PRICE_CHANGED", `The total is now ${priced.total}, not ${input.expectedTotal}`, {
      total: priced.total,
      errors: [{ path: "expectedTotal", message: `The total is now ${priced.total}` }],
    });
  }
  const customerId = rows.customerId;
  const email = input.email ?? (customerId ? await accountEmail(tx, customerId) : null);
  if (!email) throw fieldError("email", "A guest's order needs an email for its confirmation");

  const orderId = newId();
  const orderToken = customerId ? null : `ot_${randomToken()}`;
  const row = await insertOrder(tx, {
    orderId,
    cartId: rows.id,
    customerId,
    email,
    orderToken,
    currency: rows.currency,
    shippingAddress,
    billingAddress,
    priced,
    methodName: method.name,
    promotionNames: quote.promotionNames,
  });
  // OUT_OF_STOCK names `lines.<i>.quantity`: the cart line, in the cart's order.
  await catalog.reserveInTx(tx, {
    orderId,
    lines: quote.lines.map(({ row }) => ({ variantId: row.variantId as string, quantity: row.quantity })),
    reason: `order ${ordersModule.orderNumber(row.number)}`,
  });
  // Limits count redemptions (domain.md "Promotions"): every promotion the order carries, once.
  for (const applied of row.promotions) {
    await promotions.redeemInTx(tx, { promotionId: applied.promotionId, userId: customerId, orderId });
  }
  // Single statements that depend on none of each other, sent together: the transaction waits for
  // one round trip, not six. Each writes rows of this order, or the cart and account it holds.
  const [payment, lines] = await Promise.all([
    payments.openPayment(tx, row),
    insertLines(tx, orderId, quote, priced),
    convertCart(tx.db, { id: rows.id }),
    customerId && countOrder(tx.db, { id: customerId }),
    ordersModule.recordEventInTx(tx, orderId, {
      kind: "placed",
      to: "pending_payment",
      data: { cartId: rows.id, total: priced.total },
    }),
    ordersModule.enqueueOrderEmailInTx(tx, { orderId, kind: "confirmation" }),
  ]);
  if (priced.total === 0) {
    // Nothing to pay (every cent discounted): no provider takes a payment of zero, so it is paid here,
    // with the order, and no crash after the commit can leave it to expire unpaid.
    await payments.recordPaymentSucceededInTx(tx, { orderId, amount: 0, currency: row.currency, ref: null });
    return { order: await ordersModule.readOrder(tx, orderId), orderToken };
  }
  // The answer from the rows just written: nothing else hangs off a new order yet.
  const order = ordersModule.toOrder({
    row,
    lines,
    payment: payment ?? null,
    parcels: [],
    parcelLines: [],
    refunds: [],
  });
  return { order, orderToken };
}

/** The order's lines: the cart's lines as priced, in the cart's order. */
function insertLines(tx: TxCtx, orderId: string, quote: CartQuote, priced: PricingResult) {
  const lines = quote.lines.map(({ row }) => {
    const amounts = priced.lines.find((l) => l.id === row.id);
    return { row, amounts };
  });
  return insertLinesStatement(tx.db, {
    ids: lines.map(() => newId()),
    orderId,
    variantIds: lines.map(({ row }) => row.variantId),
    productIds: lines.map(({ row }) => row.productId),
    titles: lines.map(({ row }) => row.title),
    variantTitles: lines.map(({ row }) => row.variantTitle),
    skus: lines.map(({ row }) => row.sku),
    options: lines.map(({ row }) => JSON.stringify(row.options ?? {})),
    imageUrls: lines.map(({ row }) => row.imageUrl),
    unitPrices: lines.map(({ row }) => row.price),
    quantities: lines.map(({ row }) => row.quantity),
    subtotals: lines.map(({ amounts }) => amounts?.subtotal ?? 0),
    discounts: lines.map(({ amounts }) => amounts?.discount ?? 0),
    taxes: lines.map(({ amounts }) => amounts?.tax ?? 0),
    totals: lines.map(({ amounts }) => amounts?.total ?? 0),
  });
}

// Built once (db/statement.ts), as every statement of a checkout.
const convertCart = compiled(["id"], (db, p) =>
  db.update(carts).set({ status: "converted", updatedAt: sql`now()` }).where(eq(carts.id, p.id)),
);

const countOrder = compiled(["id"], (db, p) =>
  db
    .update(users)
    .set({ ordersPlaced: sql`${users.ordersPlaced} + 1` })
    .where(eq(users.id, p.id)),
);

const LINE_VALUES = [
  "ids",
  "orderId",
  "variantIds",
  "productIds",
  "titles",
  "variantTitles",
  "skus",
  "options",
  "imageUrls",
  "unitPrices",
  "quantities",
  "subtotals",
  "discounts",
  "taxes",
  "totals",
] as const;

// Any number of lines in one statement; positions follow the cart's order.
const insertLinesStatement = statement<(typeof LINE_VALUES)[number], typeof orderLines.$inferSelect>(
  LINE_VALUES,
  (p) => sql`${PREPARED}
    insert into order_lines as l (id, order_id, position, variant_id, product_id, title, variant_title, sku, options,
      image_url, unit_price, quantity, subtotal, discount, tax, total)
    select x.id, ${p.orderId}::uuid, x.position - 1, x.variant_id, x.product_id, x.title, x.variant_title, x.sku,
      x.options::jsonb, x.image_url, x.unit_price, x.quantity, x.subtotal, x.discount, x.tax, x.total
    from unnest(${p.ids}::uuid[], ${p.variantIds}::uuid[], ${p.productIds}::uuid[], ${p.titles}::text[],
      ${p.variantTitles}::text[], ${p.skus}::text[], ${p.options}::text[], ${p.imageUrls}::text[], ${p.unitPrices}::int[],
      ${p.quantities}::int[], ${p.subtotals}::int[], ${p.discounts}::int[], ${p.taxes}::int[], ${p.totals}::int[])
      with ordinality as x(id, variant_id, product_id, title, variant_title, sku, options, image_url, unit_price,
        quantity, subtotal, discount, tax, total, position)
    returning l.id, l.order_id as "orderId", l.position, l.variant_id as "variantId", l.product_id as "productId",
      l.title, l.variant_title as "variantTitle", l.sku, l.options, l.image_url as "imageUrl",
      l.unit_price as "unitPrice", l.quantity, l.subtotal, l.discount, l.tax, l.total,
      l.fulfilled_quantity as "fulfilledQuantity", l.refunded_quantity as "refundedQuantity"`,
);

/** Every line must be for sale now: a deleted or unavailable one is the shopper's to remove (the cart flags it). */
function assertBuyable(lines: { row: { id: string }; status: string }[]): void {
  if (lines.length === 0) throw new AppError("CONFLICT", "The cart is empty");
  const gone = lines.flatMap((line, i) =>
    line.status === "deleted" || line.status === "unavailable"
      ? [{ path: `items.${i}`, message: "No longer for sale: remove it from the cart" }]
      : [],
  );
  if (gone.length > 0) {
    throw new AppError("CONFLICT", "Some items are no longer for sale: remove them to check out", { errors: gone });
  }
}

async function snapshotOf(tx: TxCtx, address: CheckoutAddress, field: string): Promise<OrderAddressSnapshot> {
  if ("addressId" in address) {
    if (tx.actor.kind !== "user") throw fieldError(`${field}.addressId`, "Saved addresses need a signed-in customer");
    const saved = await addressBook.getAddress(tx, { id: address.addressId }).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "NOT_FOUND") {
        throw fieldError(`${field}.addressId`, "No such address in your address book");
      }
      throw err;
    });
    // The saved address's fields, without its id and flags: later edits of the book leave the order as it was.
    return OrderAddress.parse(saved);
  }
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    region: address.region ?? null,
    postalCode: address.postalCode,
    country: address.country,
    phone: address.phone ?? null,
  };
}

async function accountEmail(tx: TxCtx, userId: string): Promise<string | null> {
  const [row] = await tx.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row?.email ?? null;
}

interface OrderHead {
  orderId: string;
  cartId: string;
  customerId: string | null;
  email: string;
  orderToken: string | null;
  currency: string;
  shippingAddress: OrderAddressSnapshot;
  billingAddress: OrderAddressSnapshot;
  priced: PricingResult;
  methodName: string;
  promotionNames: Map<string, string>;
}

/** The order's own row, unpaid, lapsing after the store's payment timeout. */
async function insertOrder(tx: TxCtx, head: OrderHead) {
  const { priced } = head;
  const shipping = priced.shipping && {
    methodId: priced.shipping.methodId,
    name: head.methodName,
    amount: priced.shipping.amount,
    discount: priced.shipping.discount,
    total: priced.shipping.total,
    tax: priced.shipping.tax,
  };
  const [row] = await insertOrderStatement(tx.db, {
    id: head.orderId,
    customerId: head.customerId,
    email: head.email,
    tokenHash: head.orderToken ? hashToken(head.orderToken) : null,
    cartId: head.cartId,
    currency: head.currency,
    ...pricing.totalsOf(priced),
    shippingAddress: head.shippingAddress,
    billingAddress: head.billingAddress,
    // A bare parameter: a missing shipping is SQL NULL, not JSON null.
    shipping: shipping ? JSON.stringify(shipping) : null,
    // The promotions the order carries (and redeems): those that took something off, and the shopper's code.
    promotions: priced.promotions
      .filter((p) => p.amount > 0 || p.code !== null)
      .map((p) => ({
        promotionId: p.promotionId,
        code: p.code,
        name: head.promotionNames.get(p.promotionId) ?? "",
        amount: p.amount,
      })),
    paymentProvider: tx.payments.name,
    timeoutMinutes: tx.store.orderPaymentTimeoutMinutes,
  });
  return row as typeof orders.$inferSelect;
}

// Built once (db/statement.ts): drizzle took about 90 µs to build this insert at every checkout.
const insertOrderStatement = compiled(
  [
    "id",
    "customerId",
    "email",
    "tokenHash",
    "cartId",
    "currency",
    "subtotal",
    "discountTotal",
    "shippingTotal",
    "taxTotal",
    "total",
    "taxInclusive",
    "shippingAddress",
    "billingAddress",
    "shipping",
    "promotions",
    "paymentProvider",
    "timeoutMinutes",
  ],
  (db, p) =>
    db
      .insert(orders)
      .values({
        id: p.id,
        customerId: p.customerId,
        email: p.email,
        tokenHash: p.tokenHash,
        cartId: p.cartId,
        currency: p.currency,
        subtotal: p.subtotal,
        discountTotal: p.discountTotal,
        shippingTotal: p.shippingTotal,
        taxTotal: p.taxTotal,
        total: p.total,
        taxInclusive: p.taxInclusive,
        shippingAddress: p.shippingAddress,
        billingAddress: p.billingAddress,
        shipping: sql`${p.shipping}::jsonb`,
        promotions: p.promotions,
        paymentProvider: p.paymentProvider,
        expiresAt: sql`now() + make_interval(mins => ${p.timeoutMinutes}::int)`,
      })
      .returning(),
);
