import { type Placeholder, type SQL, sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import type { CartStatus } from "../../db/schema";
import { statement, type Values } from "../../db/statement";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { isoText } from "../../lib/sql-iso";
import { hashToken } from "../../lib/tokens";
import { type TxCtx, whenCommitted } from "../../lib/transaction";
import { productTag } from "../catalog/service";
import { GUEST_CART_DAYS } from "./schemas";

/** A cart's own columns: what ownership and every write need. */
export interface CartHead {
  id: string;
  customerId: string | null;
  tokenHash: string | null;
  status: CartStatus;
  currency: string;
  couponCode: string | null;
  country: string | null;
  region: string | null;
  postalCode: string | null;
  shippingMethodId: string | null;
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A line as stored, beside what its variant and product say today (null fields: gone). */
export interface LineRow {
  id: string;
  variantId: string | null;
  productId: string | null;
  quantity: number;
  addedUnitPrice: number;
  title: string;
  variantTitle: string;
  sku: string;
  createdAt: string;
  updatedAt: string;
  /** Today's variant price; null when the variant is gone. */
  price: number | null;
  weightGrams: number | null;
  options: Record<string, string> | null;
  productStatus: string | null;
  productSlug: string | null;
  imageUrl: string | null;
  categoryPath: string[] | null;
  collectionIds: string[] | null;
  available: number | null;
}

export interface CartRows extends CartHead {
  /** The customer's placed orders, for "first order only" promotions; 0 for a guest. */
  ordersPlaced: number;
  lines: LineRow[];
}

export const notFound = () => new AppError("NOT_FOUND", "Cart not found");

/**
 * Whether the caller holds this cart: a customer's own cart, or a guest cart whose
 * token came with the request (a signed-in shopper may still hold one, to merge
 * it). Anyone else's cart, a lapsed one and one already merged or ordered answer
 * as if absent, on both transports.
 */
export function assertHolds(ctx: Ctx, cart: CartHead | undefined): asserts cart is CartHead {
  if (cart?.status !== "active") throw notFound();
  if (cart.customerId) {
    if (ctx.actor.kind === "user" && ctx.actor.userId === cart.customerId) return;
    throw notFound();
  }
  if (!ctx.cartToken || cart.tokenHash !== hashToken(ctx.cartToken)) throw notFound();
  if (cart.expiresAt && Date.parse(cart.expiresAt) <= Date.now()) throw notFound();
}

/** How long a guest cart lives past its last change. */
const LIFETIME = sql.raw(`interval '${GUEST_CART_DAYS} days'`);

/** Who asks for a cart, as `heldBy` compares: the signed-in customer, and the guest's cart token hashed. */
export const holder = (ctx: Ctx): Values<"userId" | "tokenHash"> => ({
  userId: ctx.actor.kind === "user" ? ctx.actor.userId : null,
  tokenHash: ctx.cartToken ? hashToken(ctx.cartToken) : null,
});

/**
 * assertHolds as a condition on the cart `c`, for a write that must not touch a cart the caller
 * does not hold: the rule is the same, checked before the write instead of on rows read.
 * `who` are the placeholders of the `holder` values.
 */
export function heldBy(who: Record<"userId" | "tokenHash", Placeholder>): SQL {
  return sql`c.status = 'active' and case
    when c.customer_id is not null then c.customer_id = ${who.userId}::uuid
    else c.token_hash = ${who.tokenHash}::text and c.updated_at + ${LIFETIME} > now() end`;
}

/** The CartHead of the cart `c`. */
export const headColumns = sql`
  c.id, c.customer_id as "customerId", c.token_hash as "tokenHash", c.status, c.currency,
  c.coupon_code as "couponCode", c.country, c.region, c.postal_code as "postalCode",
  c.shipping_method_id as "shippingMethodId",
  case when c.customer_id is null then ${isoText(sql`c.updated_at + ${LIFETIME}`)} end as "expiresAt",
  ${isoText(sql`c.created_at`)} as "createdAt",
  ${isoText(sql`c.updated_at`)} as "updatedAt"`;

/**
 * The cart the caller holds, locked for a write until its transaction ends, and marked
 * changed: the UPDATE takes the row lock, and a guest cart lives 30 days past its last
 * change. A cart the caller does not hold (a lapsed one included) is left as it is and
 * answers 404. The caller's write failing rolls the mark back with it.
 */
export async function lockCart(ctx: Ctx, cartId: string): Promise<CartHead> {
  const [cart] = await lockStatement(ctx.db, { cartId, ...holder(ctx) });
  if (!cart) throw notFound();
  await cartChanged(ctx, cart.id);
  return cart;
}

const lockStatement = statement<"cartId" | "userId" | "tokenHash", CartHead & Record<string, unknown>>(
  ["cartId", "userId", "tokenHash"],
  (p) => sql`${PREPARED}
    update carts c set updated_at = now() where c.id = ${p.cartId} and ${heldBy(p)}
    returning ${headColumns}`,
);

/**
 * For checkout: the cart the caller holds with its rows, locked until the transaction ends, in
 * one statement and without a write (the checkout converts the cart). The lines are read in the
 * statement's snapshot; they are the lines at the lock when the locked row is the version that
 * snapshot saw, as every write to a cart's lines updates its row (see add-line.ts). When a writer
 * committed in between, they are read again, under the lock. 404 as `lockCart`.
 */
export async function lockCartRows(tx: TxCtx, cartId: string): Promise<CartRows> {
  const [row] = await lockRowsStatement(tx.db, { cartId, ...holder(tx) });
  if (!row) throw notFound();
  await cartChanged(tx, cartId);
  const { current, ...cart } = row;
  return current ? cart : readCartRows(tx, cartId);
}

const lockRowsStatement = statement<
  "cartId" | "userId" | "tokenHash",
  CartRows & { current: boolean } & Record<string, unknown>
>(
  ["cartId", "userId", "tokenHash"],
  (p) => sql`${PREPARED}
    select ${cartRowsColumns}, c.xmin = (select seen.xmin from carts seen where seen.id = c.id) as current
    from ${cartWithCustomer}
    where c.id = ${p.cartId} and ${heldBy(p)}
    for update of c`,
);

/**
 * The cart, its lines and what each line's variant, product and stock say now, in
 * one statement, checked for the caller. Inside a transaction: what it wrote.
 */
export async function readCartRows(ctx: Ctx, cartId: string): Promise<CartRows> {
  const cart = await loadCartRows(ctx, cartId);
  assertHolds(ctx, cart);
  return cart;
}

/**
 * The same for a read outside any transaction, through the cache: the most frequent
 * signed-in request must stay cheap. The entry is as fresh as a read of the tables,
 * because everything it holds is invalidated after the commit that changes it: the
 * cart's own writes (lockCart) by the cart's tag, and each line's price, stock, status,
 * categories and collections by its product's tag, which every catalog write
 * invalidates (catalog/listing.ts). Which products those are is itself cached under
 * the cart's tag, so the rows' tags are known before they are read.
 */
export async function readCartRowsCached(ctx: Ctx, cartId: string): Promise<CartRows> {
  const tag = cartTag(cartId);
  const productIds = await ctx.cache.wrap(`cart:${cartId}:products`, { tags: [tag] }, async () => {
    const rows = await ctx.db.execute<{ id: string }>(
      sql`${PREPARED}select distinct product_id as id from cart_lines where cart_id = ${cartId} and product_id is not null`,
    );
    return rows.map((r) => r.id);
  });
  const cart = await ctx.cache.wrap(`cart:${cartId}:rows`, { tags: [tag, ...productIds.map(productTag)] }, async () => {
    // Thrown, not cached: ids nobody holds must not fill the cache.
    return (await loadCartRows(ctx, cartId)) ?? Promise.reject(notFound());
  });
  assertHolds(ctx, cart);
  return cart;
}

/** After the commit that changed the cart: its cached rows are stale. */
export const cartChanged = (ctx: Ctx, cartId: string) =>
  whenCommitted(ctx, () => ctx.cache.invalidateTags([cartTag(cartId)]));

const cartTag = (cartId: string) => `cart:${cartId}`;

async function loadCartRows(ctx: Ctx, cartId: string): Promise<CartRows | undefined> {
  const [cart] = await loadStatement(ctx.db, { cartId });
  return cart;
}

const loadStatement = statement<"cartId", CartRows & Record<string, unknown>>(
  ["cartId"],
  (p) => sql`${PREPARED}
    select ${cartRowsColumns}
    from ${cartWithCustomer}
    where c.id = ${p.cartId}`,
);

/**
 * The LineRows of `lines` (a relation of cart_lines rows) as one JSON array, in the order
 * they were added, each beside what its variant, product and stock say now.
 */
export const lineRows = (lines: SQL) => sql`coalesce((
    select json_agg(json_build_object(
      'id', l.id, 'variantId', l.variant_id, 'productId', p.id, 'quantity', l.quantity,
      'addedUnitPrice', l.added_unit_price, 'title', coalesce(p.title, l.title),
      'variantTitle', coalesce(v.title, l.variant_title), 'sku', coalesce(v.sku, l.sku),
      'createdAt', ${isoText(sql`l.created_at`)}, 'updatedAt', ${isoText(sql`l.updated_at`)},
      'price', v.price, 'weightGrams', v.weight_grams, 'options', v.options,
      'productStatus', p.status, 'productSlug', p.slug, 'imageUrl', p.image_url,
      'categoryPath', p.category_path, 'collectionIds', p.collection_ids,
      'available', greatest(coalesce(il.on_hand - il.reserved, 0), 0)
    ) order by l.created_at, l.id)
    from ${lines} l
    left join variants v on v.id = l.variant_id
    left join products p on p.id = v.product_id
    left join inventory_levels il on il.variant_id = v.id
  ), '[]'::json)`;

/** The CartRows of the cart `c` (from `cartWithCustomer`): its head, the customer's order count, its lines. */
const cartRowsColumns = sql`${headColumns}, coalesce(u.orders_placed, 0) as "ordersPlaced",
  ${lineRows(sql`(select * from cart_lines where cart_id = c.id)`)} as lines`;
const cartWithCustomer = sql`carts c left join users u on u.id = c.customer_id`;
