import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { carts } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { inTransaction } from "../../lib/transaction";
import * as promotions from "../promotions/service";
import { lockCart, readCartRows } from "./cart-rows";
import { ApplyCouponInput, type Cart, RemoveCouponInput } from "./schemas";
import { cartFacts, cartView } from "./view";

const sameCode = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Puts a code on the cart when it applies now, else 422 COUPON_INVALID with the
 * reason. A cart takes one code (domain.md "Promotions"): a second one is
 * `not_combinable` until the first is removed. Nothing is redeemed here: usage
 * limits are checked, and checkout redeems them.
 */
export async function applyCoupon(ctx: Ctx, raw: z.input<typeof ApplyCouponInput>): Promise<Cart> {
  const input = ApplyCouponInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const head = await lockCart(tx, input.cartId);
    if (head.couponCode && !sameCode(head.couponCode, input.code)) {
      throw promotions.couponRefused("not_combinable", input.code);
    }
    const cart = await readCartRows(tx, head.id);
    const { code } = await promotions.assertCodeApplies(tx, { code: input.code, facts: cartFacts(cart) });
    await tx.db.update(carts).set({ couponCode: code }).where(eq(carts.id, cart.id));
    return cartView(tx, { ...cart, couponCode: code });
  });
}

/** Takes the code off the cart; a code the cart does not have is 404. */
export async function removeCoupon(ctx: Ctx, raw: z.input<typeof RemoveCouponInput>): Promise<Cart> {
  const input = RemoveCouponInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const cart = await lockCart(tx, input.cartId);
    if (!cart.couponCode || !sameCode(cart.couponCode, input.code)) {
      throw new AppError("NOT_FOUND", "This cart does not have that code");
    }
    await tx.db.update(carts).set({ couponCode: null, updatedAt: sql`now()` }).where(eq(carts.id, cart.id));
    return cartView(tx, await readCartRows(tx, cart.id));
  });
}
