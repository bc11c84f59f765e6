import { sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import { statement } from "../../db/statement";
import type { Ctx } from "../../lib/context";
import { AppError, fieldError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { type CartRows, cartChanged, headColumns, heldBy, holder, lineRows, notFound } from "./cart-rows";
import { MAX_LINES, MAX_QUANTITY } from "./schemas";
import { outOfStock, variantNotFound } from "./variants";

/** Why the statement wrote nothing, decided in SQL beside the write. */
type Refusal = "variant" | "quantity" | "stock" | "lines";

/** What the statement read and did, in one row. */
interface Outcome {
  /** The caller holds the cart, as the statement's snapshot has it. */
  held: boolean;
  refusal: Refusal | null;
  /** The variant's, null when it is not for sale (the refusal "variant"). */
  variantId: string;
  sku: string;
  available: number;
  /** Units the cart's line of the variant had (0 without one). */
  lineQuantity: number;
  /** The cart after the write; null when it wrote nothing. */
  cart: CartRows | null;
}

/**
 * Adds `quantity` units of a variant to the cart in one statement, needing no transaction:
 * checks that the caller holds the cart and that the line stays within 99 units and what is
 * available, and the cart within 100 lines; marks the cart changed; writes the line; answers
 * the cart as written. A refusal throws (404, 400 naming `quantity`, 409 OUT_OF_STOCK with
 * `available`, 409 CONFLICT). Null: a write to the cart committed between this statement's
 * snapshot and its lock, so what it read may be stale, and it wrote nothing: run it again
 * after lockCart, in a transaction.
 *
 * Why that is enough under READ COMMITTED: every write to a cart's lines updates the cart's row
 * in its transaction (lockCart), so the row's version (xmin) the snapshot saw, still the current
 * one once the UPDATE holds the row's lock, proves that the lines read are the lines now, and
 * they stay so until the statement commits. An UPDATE that waited for the lock re-checks only
 * the locked row (EvalPlanQual), the other CTEs keep the snapshot: `c.xmin = seen.version` is
 * that re-check. The upsert's guard (the line holds what was read) keeps a unit from being lost
 * even if some writer broke the rule. A refusal needs no lock: it rests on the snapshot, one
 * consistent state of the cart while the request ran.
 *
 * Its transaction commits asynchronously (synchronous_commit off, for it alone): the answer does
 * not wait for the disk. A crash of the database server can then forget the last fraction of a
 * second of adds, as a cart kept in Redis would; it can never forget part of one, nor an add that
 * a later order read, because that order's own commit flushes everything logged before it.
 * Orders, payments and stock always commit synchronously.
 */
export async function addLine(
  ctx: Ctx,
  input: { cartId: string; variantId: string; quantity: number },
): Promise<CartRows | null> {
  const { quantity } = input;
  const [outcome] = await addStatement(ctx.db, { ...input, lineId: newId(), ...holder(ctx) });
  if (!outcome?.held) throw notFound();
  if (outcome.refusal) throw refused(outcome, quantity);
  if (outcome.cart) await cartChanged(ctx, input.cartId);
  return outcome.cart;
}

const addStatement = statement<
  "cartId" | "variantId" | "quantity" | "lineId" | "userId" | "tokenHash",
  Outcome & Record<string, unknown>
>(
  ["cartId", "variantId", "quantity", "lineId", "userId", "tokenHash"],
  (p) => sql`${PREPARED}
    with seen as (
      select c.xmin as version, n.lines, n.had is not null as "hasLine", coalesce(n.had, 0) as had,
        coalesce(n.had, 0) + ${p.quantity}::int as wanted
      from carts c cross join lateral (
        select count(*)::int as lines, max(quantity) filter (where variant_id = ${p.variantId}) as had
        from cart_lines where cart_id = c.id
      ) n
      where c.id = ${p.cartId} and ${heldBy(p)}
    ),
    variant as (
      select v.id, v.product_id, v.price, p.title, v.title as variant_title, v.sku,
        greatest(coalesce(il.on_hand - il.reserved, 0), 0) as available
      from variants v join products p on p.id = v.product_id
      left join inventory_levels il on il.variant_id = v.id
      where v.id = ${p.variantId} and p.status = 'active'
    ),
    verdict as (
      select case
        when variant.id is null then 'variant'
        when seen.wanted > ${MAX_QUANTITY} then 'quantity'
        when seen.wanted > variant.available then 'stock'
        when not seen."hasLine" and seen.lines >= ${MAX_LINES} then 'lines'
      end as refusal
      from seen left join variant on true
    ),
    cart as (
      update carts c set updated_at = now() from seen, verdict
      where c.id = ${p.cartId} and c.xmin = seen.version and verdict.refusal is null
      returning ${headColumns}
    ),
    written as (
      insert into cart_lines as l (id, cart_id, variant_id, product_id, quantity, added_unit_price, title, variant_title, sku)
      select ${p.lineId}, cart.id, variant.id, variant.product_id, seen.wanted, variant.price,
        variant.title, variant.variant_title, variant.sku
      from cart, variant, seen
      -- What the shopper saw when adding is the price a later read compares with.
      on conflict (cart_id, variant_id) do update
        set quantity = excluded.quantity, added_unit_price = excluded.added_unit_price, updated_at = now()
        where l.quantity = (select had from seen)
      returning l.*
    ),
    -- The cart's lines after the write: the others as read (the lines now, see above) and the one written.
    lines as (
      select * from cart_lines where cart_id = ${p.cartId} and variant_id is distinct from ${p.variantId}
      union all select * from written
    )
    select seen.version is not null as held, verdict.refusal, variant.id as "variantId", variant.sku,
      variant.available, seen.had as "lineQuantity",
      (select row_to_json(after) from (
        select cart.*, coalesce(u.orders_placed, 0) as "ordersPlaced", ${lineRows(sql`lines`)} as lines
        from cart left join users u on u.id = cart."customerId"
        where exists (select from written)
      ) after) as cart,
      -- Committed without waiting for the disk (see addLine).
      set_config('synchronous_commit', 'off', true) as "commit"
    from (select) one left join seen on true left join verdict on true left join variant on true`,
);

function refused(outcome: Outcome, quantity: number): AppError {
  switch (outcome.refusal) {
    case "variant":
      return variantNotFound();
    case "quantity":
      return fieldError(
        "quantity",
        `A line holds at most ${MAX_QUANTITY}; this one already has ${outcome.lineQuantity}`,
      );
    case "stock":
      return outOfStock({ ...outcome, id: outcome.variantId }, outcome.lineQuantity + quantity);
    default:
      return new AppError("CONFLICT", `A cart holds at most ${MAX_LINES} lines`);
  }
}
