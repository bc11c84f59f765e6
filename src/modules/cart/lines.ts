import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { cartLines } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { inTransaction } from "../../lib/transaction";
import { addLine } from "./add-line";
import { lockCart, readCartRows } from "./cart-rows";
import { AddCartItemInput, type Cart, CartInput, CartItemInput, UpdateCartItemInput } from "./schemas";
import { assertAvailable, sellableVariant } from "./variants";
import { cartView } from "./view";

/**
 * Adds units of a variant; a variant already in the cart adds to its line. The line's
 * total is checked against what is available now (409 OUT_OF_STOCK with it), 99 units
 * and 100 lines. One statement, no transaction (the most frequent cart write): only when
 * another write to the cart came in between does it run again, after the cart's lock.
 */
export async function addItem(ctx: Ctx, raw: z.input<typeof AddCartItemInput>): Promise<Cart> {
  const input = AddCartItemInput.parse(raw);
  const cart =
    (await addLine(ctx, input)) ??
    (await inTransaction(ctx, async (tx) => {
      await lockCart(tx, input.cartId);
      const added = await addLine(tx, input);
      // Holding the lock, nothing can come in between: this would be a writer that skipped it.
      if (!added) throw new AppError("CONFLICT", "The cart changed while adding: try again");
      return added;
    }));
  return cartView(ctx, cart);
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
