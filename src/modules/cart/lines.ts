import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { cartLines } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError, fieldError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inTransaction } from "../../lib/transaction";
import { lockCart, readCartRows } from "./cart-rows";
import {
  AddCartItemInput,
  type Cart,
  CartInput,
  CartItemInput,
  MAX_LINES,
  MAX_QUANTITY,
  UpdateCartItemInput,
} from "./schemas";
import { assertAvailable, sellableVariant } from "./variants";
import { cartView } from "./view";

/**
 * Adds units of a variant; a variant already in the cart adds to its line. The line's
 * total is checked against what is available now (409 OUT_OF_STOCK with it).
 */
export async function addItem(ctx: Ctx, raw: z.input<typeof AddCartItemInput>): Promise<Cart> {
  const input = AddCartItemInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // The cart's lock makes concurrent adds to one cart take turns: both cannot read the same line.
    const cart = await lockCart(tx, input.cartId);
    const variant = await sellableVariant(tx, input.variantId, cart.id);
    const { line } = variant;
    const quantity = (line?.quantity ?? 0) + input.quantity;
    if (quantity > MAX_QUANTITY) {
      throw fieldError("quantity", `A line holds at most ${MAX_QUANTITY}; this one already has ${line?.quantity ?? 0}`);
    }
    assertAvailable(variant, quantity);
    // What the shopper saw when adding is the price a later read compares with.
    const seen = { quantity, addedUnitPrice: variant.price, updatedAt: sql`now()` };
    if (line) {
      await tx.db.update(cartLines).set(seen).where(eq(cartLines.id, line.id));
    } else {
      if (variant.cartLines >= MAX_LINES) throw new AppError("CONFLICT", `A cart holds at most ${MAX_LINES} lines`);
      await tx.db.insert(cartLines).values({
        ...seen,
        id: newId(),
        cartId: cart.id,
        variantId: variant.id,
        productId: variant.productId,
        title: variant.title,
        variantTitle: variant.variantTitle,
        sku: variant.sku,
      });
    }
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}

/** Sets a line's quantity (1..99), checked against what is available now. */
export async function updateItem(ctx: Ctx, raw: z.input<typeof UpdateCartItemInput>): Promise<Cart> {
  const input = UpdateCartItemInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const cart = await lockCart(tx, input.cartId);
    const line = await ownLine(tx, cart.id, input.itemId);
    if (!line.variantId) throw new AppError("CONFLICT", "This item is no longer for sale: remove it");
    const variant = await sellableVariant(tx, line.variantId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "NOT_FOUND") {
        throw new AppError("CONFLICT", "This item is no longer for sale: remove it");
      }
      throw err;
    });
    assertAvailable(variant, input.quantity);
    await tx.db
      .update(cartLines)
      .set({ quantity: input.quantity, addedUnitPrice: variant.price, updatedAt: sql`now()` })
      .where(eq(cartLines.id, line.id));
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}

/** Takes a line out of the cart. */
export async function removeItem(ctx: Ctx, raw: z.input<typeof CartItemInput>): Promise<Cart> {
  const input = CartItemInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const cart = await lockCart(tx, input.cartId);
    const line = await ownLine(tx, cart.id, input.itemId);
    await tx.db.delete(cartLines).where(eq(cartLines.id, line.id));
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}

/** Empties the cart; its code stays while it still applies. */
export async function clearCart(ctx: Ctx, raw: z.input<typeof CartInput>): Promise<Cart> {
  const input = CartInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const cart = await lockCart(tx, input.cartId);
    await tx.db.delete(cartLines).where(eq(cartLines.cartId, cart.id));
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}

async function ownLine(ctx: Ctx, cartId: string, itemId: string) {
  const [line] = await ctx.db
    .select({ id: cartLines.id, variantId: cartLines.variantId })
    .from(cartLines)
    .where(and(eq(cartLines.id, itemId), eq(cartLines.cartId, cartId)));
  if (!line) throw new AppError("NOT_FOUND", "This cart has no such item");
  return line;
}
