import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { cartLines, carts } from "../../db/schema";
import { requireUser } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { TxCtx } from "../../lib/transaction";
import { inTransaction } from "../../lib/transaction";
import { type CartHead, cartChanged, type LineRow, lockCart, readCartRows } from "./cart-rows";
import { CartInput, MAX_QUANTITY, type MergedCart } from "./schemas";
import { cartView } from "./view";

type Capped = MergedCart["capped"][number];

/**
 * Merges the guest cart the caller holds (its `X-Cart-Token`) into their own cart
 * (domain.md "Cart and pricing"): quantities add, capped by what is available and
 * by 99, and the answer lists each cut. With no cart of their own, the guest cart
 * becomes theirs. The guest cart is gone afterwards.
 */
export async function mergeCart(ctx: Ctx, raw: z.input<typeof CartInput>): Promise<MergedCart> {
  const userId = requireUser(ctx.actor);
  const input = CartInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // Guest cart first, then the customer's: every merge locks in this order, so merges never deadlock.
    const guest = await lockCart(tx, input.cartId);
    if (guest.customerId) throw new AppError("CONFLICT", "Only a guest cart can be merged into yours");
    const [own] = await tx.db
      .select({ id: carts.id })
      .from(carts)
      .where(and(eq(carts.customerId, userId), eq(carts.status, "active")))
      .for("update");
    if (own) await cartChanged(tx, own.id);
    if (!own) {
      await tx.db
        .update(carts)
        .set({ customerId: userId, tokenHash: null, updatedAt: sql`now()` })
        .where(eq(carts.id, guest.id));
      return { ...(await cartView(tx, await readCartRows(tx, guest.id))), capped: [] };
    }
    const capped = await mergeLines(tx, guest, own.id);
    await tx.db
      .update(carts)
      .set({ status: "merged", tokenHash: null, updatedAt: sql`now()` })
      .where(eq(carts.id, guest.id));
    return { ...(await cartView(tx, await readCartRows(tx, own.id))), capped };
  });
}

async function mergeLines(tx: TxCtx, guest: CartHead, targetId: string): Promise<Capped[]> {
  const [from, into] = await Promise.all([readCartRows(tx, guest.id), readCartRows(tx, targetId)]);
  const existing = new Map(into.lines.filter((l) => l.variantId).map((l) => [l.variantId, l]));
  const capped: Capped[] = [];
  for (const line of from.lines) {
    const mine = line.variantId ? existing.get(line.variantId) : undefined;
    if (!mine) {
      // A line the customer lacks moves over as it is, flagged on read if it cannot be bought.
      await tx.db.update(cartLines).set({ cartId: targetId }).where(eq(cartLines.id, line.id));
      continue;
    }
    const requested = mine.quantity + line.quantity;
    const quantity = mergedQuantity(mine, requested);
    if (quantity < requested) {
      capped.push({
        variantId: mine.variantId as string,
        sku: mine.sku,
        requested,
        quantity,
        available: mine.available ?? 0,
      });
    }
    if (quantity !== mine.quantity) {
      await tx.db
        .update(cartLines)
        .set({ quantity, addedUnitPrice: mine.price ?? mine.addedUnitPrice, updatedAt: sql`now()` })
        .where(eq(cartLines.id, mine.id));
    }
  }
  if (guest.couponCode && !into.couponCode) {
    await tx.db.update(carts).set({ couponCode: guest.couponCode }).where(eq(carts.id, targetId));
  }
  await tx.db.update(carts).set({ updatedAt: sql`now()` }).where(eq(carts.id, targetId));
  await tx.db.delete(cartLines).where(eq(cartLines.cartId, guest.id));
  return capped;
}

/**
 * Both quantities added, cut to what is available and to 99 per line; never below what
 * the customer's line already held (a line already short of stock is flagged on read).
 */
function mergedQuantity(line: LineRow, requested: number): number {
  const buyable = line.productStatus === "active" && line.price !== null;
  const limit = Math.min(MAX_QUANTITY, buyable ? (line.available ?? 0) : MAX_QUANTITY);
  return Math.max(line.quantity, Math.min(requested, limit));
}
