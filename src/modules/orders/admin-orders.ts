import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { orders } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { IdParam } from "../../lib/id-param";
import { ListAdminOrdersInput } from "./admin-schemas";
import { pageOfOrders, readAdminOrder } from "./order-view";
import type { AdminOrder, OrderPage } from "./schemas";

/**
 * Every order, newest first, narrowed by any of status, placing date, customer, number and email.
 * Each filter has an index to start from (db/schema/orders.ts); the page is read with one row more
 * than asked, so no list counts the table.
 */
export async function listAdminOrders(ctx: Ctx, raw: z.input<typeof ListAdminOrdersInput>): Promise<OrderPage> {
  requireStaff(ctx.actor, "orders:read");
  const input = ListAdminOrdersInput.parse(raw);
  return pageOfOrders(ctx, and(...filters(input)), input);
}

function filters(input: ListAdminOrdersInput): (SQL | undefined)[] {
  return [
    input.status && inArray(orders.status, input.status),
    input.createdFrom === undefined ? undefined : sql`${orders.createdAt} >= ${instant(input.createdFrom)}`,
    input.createdTo === undefined ? undefined : sql`${orders.createdAt} < ${instant(input.createdTo)}`,
    input.customerId === undefined ? undefined : eq(orders.customerId, input.customerId),
    input.number === undefined ? undefined : eq(orders.number, Number(input.number.replace(/^cw-/i, ""))),
    // lower() on both sides, as orders_email_idx is built: Postgres' case folding, not JavaScript's.
    input.email === undefined ? undefined : sql`lower(${orders.email}) = lower(${input.email})`,
  ];
}

/**
 * A filter's date or date-time for Postgres: a day is its midnight in UTC, whatever the session's time
 * zone. Cast from the text, as a JS Date would turn `0001-01-01T00:00:00+01:00` into year 0, which Postgres refuses.
 */
const instant = (v: string): SQL => sql`${v.length === 10 ? `${v}T00:00:00Z` : v}::timestamptz`;

/** Any order, with its events. */
export async function getAdminOrder(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<AdminOrder> {
  requireStaff(ctx.actor, "orders:read");
  const { id } = IdParam.parse(raw);
  return readAdminOrder(ctx, id);
}
