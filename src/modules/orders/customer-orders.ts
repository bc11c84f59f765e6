import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { orders } from "../../db/schema";
import { requireUser } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { hashToken } from "../../lib/tokens";
import { pageOfOrders, readOrder } from "./order-view";
import { type MyOrdersQuery, type Order, OrderIdInput, type OrderPage } from "./schemas";

const notFound = () => new AppError("NOT_FOUND", "Order not found");

/** The signed-in customer's orders, newest first. */
export async function listMyOrders(ctx: Ctx, input: z.output<typeof MyOrdersQuery>): Promise<OrderPage> {
  const userId = requireUser(ctx.actor);
  return pageOfOrders(ctx, eq(orders.customerId, userId), input);
}

/** One of the signed-in customer's orders; anyone else's is 404, as if absent. */
export async function getMyOrder(ctx: Ctx, raw: z.input<typeof OrderIdInput>): Promise<Order> {
  const { id } = OrderIdInput.parse(raw);
  const userId = requireUser(ctx.actor);
  const [row] = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.customerId, userId)));
  if (!row) throw notFound();
  return readOrder(ctx, id);
}

/**
 * A guest's order, read with the order token its confirmation carried (`X-Order-Token`).
 * A wrong or missing token is 404, the same answer as no order at all.
 */
export async function getGuestOrder(ctx: Ctx, raw: z.input<typeof OrderIdInput>): Promise<Order> {
  const { id } = OrderIdInput.parse(raw);
  if (!ctx.orderToken) throw notFound();
  const [row] = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, id), eq(orders.tokenHash, hashToken(ctx.orderToken))));
  if (!row) throw notFound();
  return readOrder(ctx, id);
}
