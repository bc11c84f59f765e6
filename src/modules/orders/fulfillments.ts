import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { fulfillmentLines, fulfillments, type OrderStatus, orderEvents, orderLines, orders } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError, validationError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { FulfillOrderInput } from "./admin-schemas";
import { enqueueOrderEmailInTx } from "./jobs";
import { readAdminOrder } from "./order-view";
import { heldByPendingRefundsInTx } from "./pending-refunds";
import type { AdminOrder } from "./schemas";
import { eventActor, lockOrder, recordEventInTx, transitionInTx } from "./status";

/** Paid orders, and paid ones partly refunded, have units to send (domain.md "Orders"). */
const FULFILLABLE: readonly OrderStatus[] = ["paid", "partially_refunded"];

interface LineState {
  id: string;
  quantity: number;
  fulfilledQuantity: number;
  refundedQuantity: number;
  /** Units pending refunds give back. */
  refunding: number;
}
interface ParcelItem {
  orderItemId: string;
  quantity: number;
}

/** Units of a line still to send: neither sent nor refunded (a unit sent and then refunded counts once). */
const unsent = (l: LineState) => Math.max(0, l.quantity - l.fulfilledQuantity - l.refundedQuantity);

/**
 * Of those, the units a parcel may take: not the ones a refund under way gives back (it may still put
 * them back on the shelf). They stay unsent until it settles, so the order is not fulfilled before.
 */
const sendable = (l: LineState) => Math.max(0, unsent(l) - l.refunding);

/**
 * Records a parcel of some or all of a paid order's unsent units (no items: all of them), with its carrier
 * and tracking number, and mails the customer. The order becomes fulfilled with its last unit out.
 */
export async function fulfillOrder(ctx: Ctx, raw: z.input<typeof FulfillOrderInput>): Promise<AdminOrder> {
  requireStaff(ctx.actor, "orders:write");
  const { id, carrier, trackingNumber, trackingUrl, items } = FulfillOrderInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // Locked first: a refund or cancel of the same order waits, so the units counted here stay unsent.
    const order = await lockOrder(tx, id);
    if (!FULFILLABLE.includes(order.status)) {
      throw new AppError("CONFLICT", `An order that is ${order.status} cannot be fulfilled`, {
        orderStatus: order.status,
      });
    }
    const lines = await linesOf(tx, id);
    const parcel = items ? checkedParcel(lines, items) : lines.flatMap((l) => unitsOf(l.id, sendable(l)));
    if (parcel.length === 0)
      throw new AppError("CONFLICT", "Every unit of this order is already sent, refunded or being refunded");

    const fulfillmentId = newId();
    await tx.db
      .insert(fulfillments)
      .values({ id: fulfillmentId, orderId: id, carrier, trackingNumber, trackingUrl, actor: eventActor(tx) });
    await tx.db
      .insert(fulfillmentLines)
      .values(parcel.map((p) => ({ fulfillmentId, orderLineId: p.orderItemId, quantity: p.quantity })));
    await tx.db.execute(sql`
      update ${orderLines} set fulfilled_quantity = ${orderLines.fulfilledQuantity} + ${fulfillmentLines.quantity}
      from ${fulfillmentLines}
      where ${fulfillmentLines.fulfillmentId} = ${fulfillmentId} and ${fulfillmentLines.orderLineId} = ${orderLines.id}`);
    await recordEventInTx(tx, id, {
      kind: "fulfillment_added",
      data: { fulfillmentId, carrier, trackingNumber, items: parcel },
    });
    if (allSentAfter(lines, parcel)) {
      await transitionInTx(tx, order, "fulfilled", { reason: "Every unit is sent", data: { fulfillmentId } });
    } else {
      await tx.db.update(orders).set({ updatedAt: sql`now()` }).where(eq(orders.id, id));
    }
    await enqueueOrderEmailInTx(tx, { orderId: id, kind: "shipped", refId: fulfillmentId });
    return readAdminOrder(tx, id);
  });
}

/**
 * Records that a fulfilled order arrived. A partly refunded order may be delivered too, once every unit
 * not refunded is sent and it was not delivered before; any other status is 409.
 */
export async function markOrderDelivered(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<AdminOrder> {
  requireStaff(ctx.actor, "orders:write");
  const { id } = IdParam.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const order = await lockOrder(tx, id);
    if (order.status === "partially_refunded") await assertDeliverable(tx, id);
    await transitionInTx(tx, order, "delivered", { reason: "Marked delivered" });
    return readAdminOrder(tx, id);
  });
}

async function assertDeliverable(tx: TxCtx, orderId: string): Promise<void> {
  const lines = await linesOf(tx, orderId);
  if (lines.some((l) => unsent(l) > 0)) {
    throw new AppError("CONFLICT", "Some units of this order are not sent yet", { orderStatus: "partially_refunded" });
  }
  // Every unit refunded, none sent: there is no parcel to arrive.
  if (!lines.some((l) => l.fulfilledQuantity > 0)) {
    throw new AppError("CONFLICT", "Nothing of this order was sent", { orderStatus: "partially_refunded" });
  }
  const [before] = await tx.db
    .select({ id: orderEvents.id })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "delivered")))
    .limit(1);
  if (before) {
    throw new AppError("CONFLICT", "This order was delivered already", { orderStatus: "partially_refunded" });
  }
}

async function linesOf(tx: TxCtx, orderId: string): Promise<LineState[]> {
  const [lines, held] = await Promise.all([
    tx.db
      .select({
        id: orderLines.id,
        quantity: orderLines.quantity,
        fulfilledQuantity: orderLines.fulfilledQuantity,
        refundedQuantity: orderLines.refundedQuantity,
      })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(orderLines.position),
    heldByPendingRefundsInTx(tx, orderId),
  ]);
  return lines.map((l) => ({ ...l, refunding: held.units.get(l.id) ?? 0 }));
}

const unitsOf = (orderItemId: string, quantity: number): ParcelItem[] =>
  quantity > 0 ? [{ orderItemId, quantity }] : [];

/** The items asked for, each an item of this order with that many units unsent; else 400 naming each field at fault. */
function checkedParcel(lines: LineState[], items: ParcelItem[]): ParcelItem[] {
  const issues = items.flatMap((item, i) => {
    const line = lines.find((l) => l.id === item.orderItemId);
    if (!line) return [{ path: ["items", i, "orderItemId"], message: "Not an item of this order" }];
    const left = sendable(line);
    return item.quantity > left ? [{ path: ["items", i, "quantity"], message: `At most ${left} left to send` }] : [];
  });
  if (issues.length > 0) throw validationError(issues);
  return items;
}

function allSentAfter(lines: LineState[], parcel: ParcelItem[]): boolean {
  return lines.every((l) => unsent(l) <= (parcel.find((p) => p.orderItemId === l.id)?.quantity ?? 0));
}
