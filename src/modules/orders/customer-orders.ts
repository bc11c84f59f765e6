import { eq } from "drizzle-orm";
import type { z } from "zod";
import { orders } from "../../db/schema";
import { requireUser } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { IdParam } from "../../lib/id-param";
import { hashToken } from "../../lib/tokens";
import { pageOfOrders, readOrderIf } from "./order-view";
import type { MyOrdersQuery, Order, OrderPage } from "./schemas";

type Owned = Pick<typeof orders.$inferSelect, "customerId" | "tokenHash">;

/** Whether the caller is the signed-in customer who placed this order. */
export const placedByCaller = (ctx: Ctx, order: Owned): boolean =>
  ctx.actor.kind === "user" && order.customerId === ctx.actor.userId;

/** Whether the caller holds this guest order's token (`X-Order-Token`, given once by the checkout). */
export const tokenHeldByCaller = (ctx: Ctx, order: Owned): boolean =>
  Boolean(ctx.orderToken && order.tokenHash && order.tokenHash === hashToken(ctx.orderToken));

/** The signed-in customer's orders, newest first. */
export async function listMyOrders(ctx: Ctx, input: z.output<typeof MyOrdersQuery>): Promise<OrderPage> {
  const userId = requireUser(ctx.actor);
  return pageOfOrders(ctx, eq(orders.customerId, userId), input);
}

/** One of the signed-in customer's orders; anyone else's is 404, as if absent. */
export async function getMyOrder(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<Order> {
  const { id } = IdParam.parse(raw);
  requireUser(ctx.actor);
  return readOrderIf(ctx, id, (row) => placedByCaller(ctx, row));
}

/**
 * A guest's order, read with the order token its confirmation carried (`X-Order-Token`).
 * A wrong or missing token is 404, the same answer as no order at all.
 */
export async function getGuestOrder(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<Order> {
  const { id } = IdParam.parse(raw);
  return readOrderIf(ctx, id, (row) => tokenHeldByCaller(ctx, row));
}
