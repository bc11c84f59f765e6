import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { carts } from "../../db/schema";
import { requireShopper } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError, fieldError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { hashToken, randomToken } from "../../lib/tokens";
import { inTransaction } from "../../lib/transaction";
import { STORE_CURRENCY } from "../catalog/service";
import * as shipping from "../shipping/service";
import { lockCart, readCartRows, readCartRowsCached } from "./cart-rows";
import {
  type Cart,
  CartInput,
  type CartShippingOptions,
  CreateCartInput,
  type CreatedCart,
  ShippingMethodsQuery,
  UpdateCartInput,
} from "./schemas";
import { type CartQuote, cartView, priceQuote, quoteCart } from "./view";

// For checkout: the cart locked and read in its transaction, and priced as a cart read prices it.
export { lockCartRows } from "./cart-rows";
export { applyCoupon, removeCoupon } from "./coupons";
export { addItem, clearCart, removeItem, updateItem } from "./lines";
export { mergeCart } from "./merge";
export { purgeLapsedCarts } from "./purge";
export { type CartQuote, priceQuote, quoteCart };

/**
 * Starts a cart. A guest gets a new one with its secret token, shown once; a
 * customer gets their active cart (one each), made when they have none.
 */
export async function createCart(ctx: Ctx, raw: z.input<typeof CreateCartInput>): Promise<CreatedCart> {
  requireShopper(ctx.actor);
  const input = CreateCartInput.parse(raw);
  const fields = { currency: STORE_CURRENCY, ...(input.country && { country: input.country }) };
  if (ctx.actor.kind !== "user") {
    const token = `ct_${randomToken()}`;
    const id = newId();
    await ctx.db.insert(carts).values({
      ...fields,
      id,
      tokenHash: hashToken(token),
    });
    const holder = { ...ctx, cartToken: token };
    return { ...(await cartView(holder, await readCartRows(holder, id))), token };
  }
  const customerId = ctx.actor.userId;
  // One active cart per customer (a partial unique index): a concurrent create finds the winner's.
  await ctx.db
    .insert(carts)
    .values({ ...fields, id: newId(), customerId })
    .onConflictDoNothing({ target: carts.customerId, where: sql`status = 'active'` });
  const [own] = await ctx.db
    .select({ id: carts.id })
    .from(carts)
    .where(and(eq(carts.customerId, customerId), eq(carts.status, "active")));
  if (!own) throw new AppError("CONFLICT", "The cart could not be created: try again");
  return { ...(await cartView(ctx, await readCartRows(ctx, own.id))), token: null };
}

/** The cart, priced now: today's prices, stock and promotions, with what changed since. */
export async function getCart(ctx: Ctx, raw: z.input<typeof CartInput>): Promise<Cart> {
  requireShopper(ctx.actor);
  const { cartId } = CartInput.parse(raw);
  return cartView(ctx, await readCartRowsCached(ctx, cartId));
}

/** Sets where the cart ships (for shipping and tax) and its shipping method. */
export async function updateCart(ctx: Ctx, raw: z.input<typeof UpdateCartInput>): Promise<Cart> {
  requireShopper(ctx.actor);
  const { cartId, ...patch } = UpdateCartInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const cart = await lockCart(tx, cartId);
    if (Object.values(patch).every((v) => v === undefined))
      throw fieldError("(root)", "Give at least one field to change");
    const country = patch.country === undefined ? cart.country : patch.country;
    const region = patch.region === undefined ? cart.region : patch.region;
    if (patch.shippingMethodId) {
      if (!country) throw fieldError("shippingMethodId", "Set the cart's country before its shipping method");
      const methods = await shipping.methodsFor(tx, { country, region });
      if (!methods.some((m) => m.id === patch.shippingMethodId)) {
        throw fieldError("shippingMethodId", `No shipping method with this id ships to ${country}`);
      }
    }
    await tx.db
      .update(carts)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(carts.id, cart.id));
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}

/** The shipping methods serving the cart's destination, each priced for this cart (free shipping applied). */
export async function listCartShippingMethods(
  ctx: Ctx,
  raw: z.input<typeof ShippingMethodsQuery>,
): Promise<CartShippingOptions> {
  requireShopper(ctx.actor);
  const { cartId } = ShippingMethodsQuery.parse(raw);
  const cart = await readCartRowsCached(ctx, cartId);
  if (!cart.country) {
    throw new AppError("CONFLICT", "Set the cart's country first (PATCH /carts/{id}): shipping depends on it");
  }
  const quote = await quoteCart(ctx, cart);
  return {
    items: quote.methods.map((method) => {
      const shipped = priceQuote(quote, method).shipping;
      return {
        id: method.id,
        name: method.name,
        description: method.description,
        available: shipped?.available ?? false,
        amount: shipped?.amount ?? 0,
        discount: shipped?.discount ?? 0,
        total: shipped?.total ?? 0,
        currency: cart.currency,
      };
    }),
  };
}
