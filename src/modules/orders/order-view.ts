import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { fulfillmentLines, fulfillments, orderEvents, orderLines, orders, payments, refunds } from "../../db/schema";
import { compiled } from "../../db/statement";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import type { AdminOrder, Order, OrderEvent, OrderPage, OrderSummary } from "./schemas";

type OrderRow = typeof orders.$inferSelect;

export const orderNumber = (n: number): string => `CW-${n}`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** What an order and its list row both show first. */
const headOf = (row: OrderRow) => ({
  id: row.id,
  number: orderNumber(row.number),
  status: row.status,
  email: row.email,
  customerId: row.customerId,
  currency: row.currency,
});

/** An order as its customer (or the guest with its token) sees it; NOT_FOUND when there is none. */
export const readOrder = (ctx: Ctx, id: string): Promise<Order> => readOrderIf(ctx, id, () => true);

/** The same, for a caller `may` allow to see it: to anyone else it is NOT_FOUND too, as if absent. */
export async function readOrderIf(ctx: Ctx, id: string, may: (row: OrderRow) => boolean): Promise<Order> {
  const [row] = await orderById(ctx.db, { id });
  if (!row || !may(row)) throw new AppError("NOT_FOUND", "Order not found");
  return orderView(ctx, row);
}

// An order's reads by key, built once (db/statement.ts): every order read and order mail runs them.
const orderById = compiled(["id"], (db, p) => db.select().from(orders).where(eq(orders.id, p.id)));
const linesOf = compiled(["orderId"], (db, p) =>
  db.select().from(orderLines).where(eq(orderLines.orderId, p.orderId)).orderBy(asc(orderLines.position)),
);
const paymentOf = compiled(["orderId"], (db, p) => db.select().from(payments).where(eq(payments.orderId, p.orderId)));
const parcelsOf = compiled(["orderId"], (db, p) =>
  db.select().from(fulfillments).where(eq(fulfillments.orderId, p.orderId)).orderBy(asc(fulfillments.createdAt)),
);
const refundsOf = compiled(["orderId"], (db, p) =>
  db.select().from(refunds).where(eq(refunds.orderId, p.orderId)).orderBy(asc(refunds.createdAt)),
);

/** The same with every event, for the admin. */
export async function readAdminOrder(ctx: Ctx, id: string): Promise<AdminOrder> {
  const [order, events] = await Promise.all([
    readOrder(ctx, id),
    ctx.db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, id))
      .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id)),
  ]);
  return { ...order, events: events.map(eventView) };
}

async function orderView(ctx: Ctx, row: OrderRow): Promise<Order> {
  const of = { orderId: row.id };
  const [lines, [payment], parcels, given] = await Promise.all([
    linesOf(ctx.db, of),
    paymentOf(ctx.db, of),
    parcelsOf(ctx.db, of),
    refundsOf(ctx.db, of),
  ]);
  const parcelLines =
    parcels.length === 0
      ? []
      : await ctx.db
          .select()
          .from(fulfillmentLines)
          .where(
            inArray(
              fulfillmentLines.fulfillmentId,
              parcels.map((p) => p.id),
            ),
          );
  return toOrder({ row, lines, payment: payment ?? null, parcels, parcelLines, refunds: given });
}

/** What an order's view is made of: its row and the rows that hang off it. */
export interface OrderParts {
  row: OrderRow;
  lines: (typeof orderLines.$inferSelect)[];
  payment: typeof payments.$inferSelect | null;
  parcels: (typeof fulfillments.$inferSelect)[];
  parcelLines: (typeof fulfillmentLines.$inferSelect)[];
  refunds: (typeof refunds.$inferSelect)[];
}

/** The order as clients see it, from rows already at hand (checkout answers the rows it just wrote). */
export function toOrder({ row, lines, payment, parcels, parcelLines, refunds: given }: OrderParts): Order {
  return {
    ...headOf(row),
    items: lines.map((l) => ({
      id: l.id,
      variantId: l.variantId,
      productId: l.productId,
      title: l.title,
      variantTitle: l.variantTitle,
      sku: l.sku,
      options: l.options,
      imageUrl: l.imageUrl,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      subtotal: l.subtotal,
      discount: l.discount,
      tax: l.tax,
      total: l.total,
      fulfilledQuantity: l.fulfilledQuantity,
      refundedQuantity: l.refundedQuantity,
    })),
    subtotal: row.subtotal,
    discountTotal: row.discountTotal,
    shippingTotal: row.shippingTotal,
    taxTotal: row.taxTotal,
    total: row.total,
    taxInclusive: row.taxInclusive,
    paidAmount: row.paidAmount,
    refundedAmount: row.refundedAmount,
    shippingAddress: row.shippingAddress,
    billingAddress: row.billingAddress,
    shipping: row.shipping ?? null,
    promotions: row.promotions,
    payment: payment
      ? { provider: payment.provider, status: payment.status, amount: payment.amount, currency: payment.currency }
      : null,
    fulfillments: parcels.map((p) => ({
      id: p.id,
      carrier: p.carrier,
      trackingNumber: p.trackingNumber,
      trackingUrl: p.trackingUrl,
      items: parcelLines
        .filter((l) => l.fulfillmentId === p.id)
        .map((l) => ({ orderItemId: l.orderLineId, quantity: l.quantity })),
      createdAt: p.createdAt.toISOString(),
    })),
    refunds: given.map((r) => ({
      id: r.id,
      amount: r.amount,
      status: r.status,
      reason: r.reason,
      items: r.lines.map((l) => ({ orderItemId: l.orderLineId, quantity: l.quantity })),
      restock: r.restock,
      createdAt: r.createdAt.toISOString(),
    })),
    expiresAt: iso(row.expiresAt),
    paidAt: iso(row.paidAt),
    cancelledAt: iso(row.cancelledAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function eventView(e: typeof orderEvents.$inferSelect): OrderEvent {
  return {
    id: e.id,
    kind: e.kind,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actor: e.actor,
    reason: e.reason,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}

/**
 * Units over an order's lines, for list rows. Spelled out with an alias: drizzle leaves columns unqualified
 * in a one-table select, so `order_id = id` would compare the line's own id and count nothing.
 */
const itemCount = sql<number>`(select coalesce(sum(l.quantity), 0)::int from ${orderLines} l where l.order_id = ${orders}.id)`;

/**
 * One page of orders matching `where`, newest first, each with its unit count: one row more
 * than asked says whether another page follows, so no list counts the table.
 */
export async function pageOfOrders(
  ctx: Ctx,
  where: SQL | undefined,
  page: { limit: number; cursor?: string },
): Promise<OrderPage> {
  const rows = await ctx.db
    .select({ order: orders, itemCount, pageKey: pageKey(orders) })
    .from(orders)
    .where(and(where, after(orders, page.cursor)))
    .orderBy(...newestFirst(orders))
    .limit(page.limit + 1);
  return toPage(
    rows.map((r) => ({ ...r.order, itemCount: r.itemCount, pageKey: r.pageKey })),
    page.limit,
    summaryView,
  );
}

/** A list row: the order's own columns and its unit count. */
function summaryView(row: OrderRow & { itemCount: number }): OrderSummary {
  return {
    ...headOf(row),
    total: row.total,
    itemCount: Number(row.itemCount),
    createdAt: row.createdAt.toISOString(),
  };
}
