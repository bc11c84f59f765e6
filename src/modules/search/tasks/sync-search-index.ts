import { sql } from "drizzle-orm";
import { defineTask } from "../../../jobs/task";
import type { Ctx } from "../../../lib/context";
import { syncSearchIndexJob } from "../../catalog/service";
import { loadDocuments } from "../documents";

/** Rows of `product_changes` per round trip to the engine. */
export const SYNC_BATCH = 500;

/**
 * Drains `product_changes` into the search engine, oldest first, a batch at a
 * time. The engine is called with no transaction open (domain.md "Transactions,
 * caches and outside services"), and a row leaves the queue only if its
 * `changed_at` is the one read: a product changed again meanwhile stays queued
 * for the next run. Upserts are idempotent and deletes conditional, so two runs
 * at once, or a rerun after a failure, send the same documents twice at worst.
 */
export async function syncSearchIndex(ctx: Ctx): Promise<number> {
  let sent = 0;
  for (;;) {
    // changed_at as text, both ways: microseconds survive (a JS Date keeps milliseconds), and postgres.js
    // binds a text[] where it cannot bind a timestamptz[].
    const batch = await ctx.db.execute<{ product_id: string; changed_at: string }>(sql`
      select product_id, changed_at::text as changed_at from product_changes
      order by changed_at, product_id limit ${SYNC_BATCH}`);
    if (batch.length === 0) return sent;
    const ids = batch.map((r) => r.product_id);
    await ctx.search.apply(await loadDocuments(ctx.db, ids));
    await ctx.db.execute(sql`
      delete from product_changes pc
      using unnest(${sql.param(ids)}::uuid[], ${sql.param(batch.map((r) => r.changed_at))}::text[]) as seen(id, at)
      where pc.product_id = seen.id and pc.changed_at = seen.at::timestamptz`);
    sent += batch.length;
    if (batch.length < SYNC_BATCH) return sent;
  }
}

export const syncSearchIndexTask = defineTask({
  job: syncSearchIndexJob,
  async run(ctx) {
    const sent = await syncSearchIndex(ctx);
    ctx.log.debug({ sent }, "search index synced");
  },
});
