import { eq, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { byKey } from "../../db/client";
import { type OrderStatus, orderEvents, orders } from "../../db/schema";
import { compiled } from "../../db/statement";
import { actorKey } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TxCtx } from "../../lib/transaction";

/**
 * The order state machine (domain.md "Orders"): every status and where it may go.
 * A partial refund keeps the order open (more refunds, fulfilment, delivery);
 * cancelled and refunded are final.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ["paid", "cancelled"],
  paid: ["fulfilled", "cancelled", "partially_refunded", "refunded"],
  fulfilled: ["delivered", "partially_refunded", "refunded"],
  delivered: ["partially_refunded", "refunded"],
  partially_refunded: ["partially_refunded", "refunded", "fulfilled", "delivered"],
  cancelled: [],
  refunded: [],
};

export const canBecome = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

/** The order's row, locked until the transaction ends: every change to an order takes it first, so changes queue. */
export async function lockOrder(tx: TxCtx, id: string): Promise<typeof orders.$inferSelect> {
  const [row] = await tx.db
    .select()
    .from(orders)
    .where(byKey(eq(orders.id, id)))
    .for("update");
  if (!row) throw new AppError("NOT_FOUND", "Order not found");
  return row;
}

/** Who did it, as events and the ledger name them. */
export const eventActor = (tx: TxCtx): string => actorKey(tx.actor) ?? "guest";

export interface EventInput {
  kind: string;
  reason?: string;
  data?: Record<string, unknown>;
  from?: OrderStatus;
  to?: OrderStatus;
}

/** Records what happened to an order, by whom (the transaction's actor). */
export async function recordEventInTx(tx: TxCtx, orderId: string, event: EventInput): Promise<void> {
  await insertEvent(tx.db, {
    id: newId(),
    orderId,
    kind: event.kind,
    fromStatus: event.from ?? null,
    toStatus: event.to ?? null,
    actor: eventActor(tx),
    reason: event.reason ?? "",
    data: event.data ?? {},
  });
}

const insertEvent = compiled(["id", "orderId", "kind", "fromStatus", "toStatus", "actor", "reason", "data"], (db, p) =>
  db.insert(orderEvents).values({
    id: p.id,
    orderId: p.orderId,
    kind: p.kind,
    fromStatus: p.fromStatus,
    toStatus: p.toStatus,
    actor: p.actor,
    reason: p.reason,
    data: p.data,
  }),
);

export interface TransitionInput {
  reason?: string;
  data?: Record<string, unknown>;
  /** Other columns the same change sets (paidAt, expiresAt, amounts). */
  set?: PgUpdateSetSource<typeof orders>;
}

/**
 * Moves a locked order to `to`, or throws 409 naming both statuses when the
 * machine forbids it; records the transition as an event.
 */
export async function transitionInTx(
  tx: TxCtx,
  order: { id: string; status: OrderStatus },
  to: OrderStatus,
  input: TransitionInput = {},
): Promise<void> {
  assertCanBecome(order.status, to);
  await tx.db
    .update(orders)
    .set({ ...input.set, status: to, updatedAt: sql`now()` })
    .where(eq(orders.id, order.id));
  await recordEventInTx(tx, order.id, {
    kind: "status_changed",
    from: order.status,
    to,
    reason: input.reason,
    data: input.data,
  });
  order.status = to;
}

export function assertCanBecome(from: OrderStatus, to: OrderStatus): void {
  if (!canBecome(from, to)) {
    throw new AppError("CONFLICT", `An order that is ${from} cannot become ${to}`, { orderStatus: from });
  }
}
