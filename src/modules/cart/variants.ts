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
}

/** A variant that is not for sale answers as if absent, naming the field. */
export const variantNotFound = () =>
  new AppError("NOT_FOUND", "No such product variant for sale", {
    errors: [{ path: "variantId", message: "No variant for sale has this id" }],
  });

/** The variant, if its product is for sale (active); anything else is 404 naming the field. */
export async function sellableVariant(ctx: Ctx, variantId: string): Promise<SellableVariant> {
  const [row] = await ctx.db.execute<SellableVariant & Record<string, unknown>>(sql`${PREPARED}
    select v.id, v.product_id as "productId", v.price, p.title, v.title as "variantTitle", v.sku,
      greatest(coalesce(il.on_hand - il.reserved, 0), 0) as available
    from variants v join products p on p.id = v.product_id
    left join inventory_levels il on il.variant_id = v.id
    where v.id = ${variantId} and p.status = 'active'`);
  if (!row) throw variantNotFound();
  return row;
}

type Stock = Pick<SellableVariant, "id" | "sku" | "available">;

/** 409 OUT_OF_STOCK with what can be had, for `quantity` units when fewer are available. */
export const outOfStock = (variant: Stock, quantity: number) =>
  new AppError("OUT_OF_STOCK", `Only ${variant.available} of ${variant.sku} can be bought now`, {
    variantId: variant.id,
    available: variant.available,
    requested: quantity,
  });

/** Throws outOfStock when `quantity` is more than is available. */
export function assertAvailable(variant: Stock, quantity: number): void {
  if (quantity > variant.available) throw outOfStock(variant, quantity);
}
