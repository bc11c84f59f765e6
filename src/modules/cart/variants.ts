import { sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";

/** A variant a shopper may put in a cart, with what can be bought of it now. */
export interface SellableVariant {
  id: string;
  productId: string;
  price: number;
  title: string;
  variantTitle: string;
  sku: string;
  available: number;
  /** The cart's line of this variant, when asked about a cart that has one. */
  line: { id: string; quantity: number } | null;
  /** How many lines that cart holds (0 without one). */
  cartLines: number;
}

/**
 * The variant, if its product is for sale (active), with `cartId`'s line of it; anything else
 * is 404 naming the field, as if absent.
 */
export async function sellableVariant(
  ctx: Ctx,
  variantId: string,
  cartId: string | null = null,
): Promise<SellableVariant> {
  const [row] = await ctx.db.execute<SellableVariant & Record<string, unknown>>(sql`${PREPARED}
    select v.id, v.product_id as "productId", v.price, p.title, v.title as "variantTitle", v.sku,
      greatest(coalesce(il.on_hand - il.reserved, 0), 0) as available,
      case when l.id is null then null else json_build_object('id', l.id, 'quantity', l.quantity) end as line,
      (select count(*)::int from cart_lines where cart_id = ${cartId}::uuid) as "cartLines"
    from variants v join products p on p.id = v.product_id
    left join inventory_levels il on il.variant_id = v.id
    left join cart_lines l on l.cart_id = ${cartId}::uuid and l.variant_id = v.id
    where v.id = ${variantId} and p.status = 'active'`);
  if (!row) {
    throw new AppError("NOT_FOUND", "No such product variant for sale", {
      errors: [{ path: "variantId", message: "No variant for sale has this id" }],
    });
  }
  return row;
}

/** 409 OUT_OF_STOCK with what can be had, when `quantity` is more than is available. */
export function assertAvailable(variant: SellableVariant, quantity: number): void {
  if (quantity > variant.available) {
    throw new AppError("OUT_OF_STOCK", `Only ${variant.available} of ${variant.sku} can be bought now`, {
      variantId: variant.id,
      available: variant.available,
      requested: quantity,
    });
  }
}
