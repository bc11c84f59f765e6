import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { inventoryLevels, orders, products, users, variants } from "../db/schema";
import type { Ctx } from "../lib/context";
import * as cart from "../modules/cart/service";
import * as checkout from "../modules/checkout/service";
import * as ordersService from "../modules/orders/service";
import * as payments from "../modules/payments/service";
import { DEMO_ACCOUNTS } from "./accounts";
import type { Progress } from "./progress";

const [, ADA, GRACE] = DEMO_ACCOUNTS;
const ADDRESS = { name: "", line1: "12 Analytical Row", city: "Springfield", postalCode: "12345", country: "US" };

/** What happens to each demo order after checkout, through the same services staff and shoppers use. */
type Story = "delivered" | "shipped" | "paid" | "refunded_in_part" | "cancelled" | "awaiting_payment";
const STORIES: { who: typeof ADA | typeof GRACE; story: Story; lines: number; code?: string }[] = [
  { who: ADA, story: "delivered", lines: 2, code: "SAVE10" },
  { who: ADA, story: "shipped", lines: 1 },
  { who: ADA, story: "refunded_in_part", lines: 2 },
  { who: ADA, story: "cancelled", lines: 1 },
  { who: GRACE, story: "paid", lines: 3 },
  { who: GRACE, story: "awaiting_payment", lines: 1 },
];

/**
 * A few orders of the demo customers in every state (delivered, shipped, paid, partly
 * refunded, cancelled, awaiting payment), with their payments, parcels and events, placed
 * through checkout and moved on by the orders and payments services. Running it again
 * changes nothing: the demo customers' orders are found.
 */
export async function seedOrders(ctx: Ctx, progress: Progress): Promise<{ created: number }> {
  const people = await ctx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, [ADA.email, GRACE.email]));
  const idOf = new Map(people.map((p) => [p.email, p.id]));
  const [placed] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(orders)
    .where(inArray(orders.customerId, [...idOf.values()]));
  // Their payments are marked paid by hand: a store on Stripe gets no demo orders (Stripe would be charged).
  if ((placed?.n ?? 0) > 0 || ctx.payments.name !== "manual") {
    progress("orders", STORIES.length, STORIES.length);
    return { created: 0 };
  }
  const stocked = await buyableVariants(ctx, 8);
  let next = 0;
  for (const [i, { who, story, lines, code }] of STORIES.entries()) {
    const userId = idOf.get(who.email);
    if (!userId) throw new Error(`seedOrders needs the demo account ${who.email}: seed accounts first`);
    const shopper: Ctx = {
      ...ctx,
      actor: { kind: "user", userId, role: "customer", sessionId: "seed", via: "bearer" },
    };
    const { id: cartId } = await cart.createCart(shopper, { country: "US" });
    for (let l = 0; l < lines; l++) {
      const variantId = stocked[next++ % stocked.length] as string;
      await cart.addItem(shopper, { cartId, variantId, quantity: 1 + (l % 2) });
    }
    if (code) await cart.applyCoupon(shopper, { cartId, code });
    const [method] = (await cart.listCartShippingMethods(shopper, { cartId })).items;
    const { order } = await checkout.checkout(shopper, {
      cartId,
      shippingAddress: { ...ADDRESS, name: who.name },
      shippingMethodId: method?.id,
    });
    await playOut(ctx, shopper, order.id, story);
    progress("orders", i + 1, STORIES.length);
  }
  return { created: STORIES.length };
}

async function playOut(staff: Ctx, shopper: Ctx, id: string, story: Story): Promise<void> {
  if (story === "awaiting_payment") return;
  if (story === "cancelled") {
    await checkout.cancelMyOrder(shopper, { id, reason: "Ordered by mistake" });
    return;
  }
  await payments.markOrderPaid(staff, { id });
  if (story === "paid") return;
  if (story === "refunded_in_part") {
    await payments.refundOrder(staff, { id, amount: 500, reason: "Arrived scratched: a partial refund" });
    return;
  }
  await ordersService.fulfillOrder(staff, { id, carrier: "UPS", trackingNumber: `1Z999AA1${id.slice(-10)}` });
  if (story === "delivered") await ordersService.markOrderDelivered(staff, { id });
}

/** The first variants of active products with stock, in SKU order, so every seeded store buys the same. */
async function buyableVariants(ctx: Ctx, n: number): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: variants.id })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .innerJoin(inventoryLevels, eq(inventoryLevels.variantId, variants.id))
    .where(and(eq(products.status, "active"), gt(sql`${inventoryLevels.onHand} - ${inventoryLevels.reserved}`, 10)))
    .orderBy(asc(variants.sku))
    .limit(n);
  return rows.map((r) => r.id);
}
