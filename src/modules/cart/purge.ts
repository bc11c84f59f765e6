import { sql } from "drizzle-orm";
import type { Ctx } from "../../lib/context";
import { GUEST_CART_DAYS } from "./schemas";

const BATCH = 1000;

/**
 * Deletes guest carts that lapsed (no change for 30 days: nobody can open them any more) and
 * merged carts as old, with their lines, in batches; answers how many. Customers' carts stay,
 * and so do converted ones (their orders name them). No index serves `updated_at` on purpose
 * (db/schema/carts.ts: cart writes stay HOT updates), so each run scans the carts once an hour.
 */
export async function purgeLapsedCarts(ctx: Ctx): Promise<number> {
  let total = 0;
  for (;;) {
    const gone = await ctx.db.execute<{ id: string }>(sql`
      delete from carts where id in (
        select id from carts
        where customer_id is null and status in ('active', 'merged')
          and updated_at < now() - make_interval(days => ${GUEST_CART_DAYS})
        limit ${BATCH}
      ) returning id`);
    total += gone.length;
    if (gone.length < BATCH) return total;
  }
}
