import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { useTypesenseStandIn } from "../../../../tests/typesense-stand-in";
import type { CatalogSearch } from "../../../lib/catalog-search";
import type { Ctx } from "../../../lib/context";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx, syncSearchIndexJob } from "../../catalog/service";
import { SYNC_BATCH, syncSearchIndex } from "../tasks/sync-search-index";

const { standIn, env } = useTypesenseStandIn();
const t = await useTestApp({ env });

const queued = async () =>
  (await t.sql<{ product_id: string }[]>`select product_id from product_changes order by product_id`).map(
    (r) => r.product_id,
  );
const pendingJobs = async () =>
  Number(
    (
      await t.sql<{ n: string }[]>`
        select count(*) as n from graphile_worker.jobs where task_identifier = ${syncSearchIndexJob.name}`
    )[0]?.n,
  );
const changed = (ids: string[], write?: (tx: Ctx) => Promise<unknown>) =>
  inTransaction(t.ctx(), async (tx) => {
    await write?.(tx);
    await productsChangedInTx(tx, ids);
  });
/** A ctx whose engine is this one (the rest is the app's). */
const withEngine = (search: CatalogSearch): Ctx => ({ ...t.ctx(), search });
const indexed = () => standIn.collection("products")?.docs ?? new Map();

describe("the sync-search-index job (Typesense stand-in)", () => {
  test("50 products written one by one, then changed in bulk, queue ONE job and reach Typesense in one import", async () => {
    await t.runJobs();
    const made = [];
    for (let i = 0; i < 50; i++) made.push(await makeProduct(t, { title: `Bulk ${i}` }));
    const ids = made.map((p) => p.id);
    expect(await pendingJobs()).toBe(1);
    await changed(ids, (tx) =>
      tx.db.execute(sql`update products set title = title || ' (new)' where id = any(${sql.param(ids)}::uuid[])`),
    );
    expect(await pendingJobs()).toBe(1);

    standIn.clearReceived();
    await t.runJobs();
    expect(await pendingJobs()).toBe(0);
    expect(standIn.received.imports).toEqual([{ collection: "products", documents: 50, action: "upsert" }]);
    expect(ids.every((id) => String(indexed().get(id)?.title).endsWith("(new)"))).toBe(true);
    expect(await queued()).toEqual([]);
  });

  test("a product changed again while its batch is being sent stays queued for the next run", async () => {
    const a = await makeProduct(t, { title: "Racing A" });
    const b = await makeProduct(t, { title: "Racing B" });
    let raced = false;
    const racing: CatalogSearch = {
      ...t.deps.search,
      name: "racing",
      search: (req) => t.deps.search.search(req),
      health: () => t.deps.search.health(),
      async apply(change) {
        await t.deps.search.apply(change);
        // A write that commits after the batch was read, before it is deleted.
        if (!raced)
          await changed([b.id], (tx) => tx.db.execute(sql`update products set title = 'Racing B2' where id = ${b.id}`));
        raced = true;
      },
    };
    await syncSearchIndex(withEngine(racing));
    expect(await queued()).toEqual([b.id]);
    expect(indexed().get(a.id)?.title).toBe("Racing A");
    await syncSearchIndex(t.ctx());
    expect(await queued()).toEqual([]);
    expect(indexed().get(b.id)?.title).toBe("Racing B2");
  });

  test("two runs at once index everything and empty the queue", async () => {
    const made = await Promise.all([1, 2, 3, 4].map((i) => makeProduct(t, { title: `Twice ${i}` })));
    await Promise.all([syncSearchIndex(t.ctx()), syncSearchIndex(t.ctx())]);
    expect(await queued()).toEqual([]);
    expect(made.every((p) => indexed().has(p.id))).toBe(true);
  });

  test(`a long queue drains oldest first in batches of ${SYNC_BATCH}`, async () => {
    // Products deleted since they were queued: each batch is all removals.
    const gone = Array.from({ length: SYNC_BATCH * 2 + 7 }, () => newId());
    await t.sql`insert into product_changes (product_id, changed_at)
      select unnest(${gone}::uuid[]), now() - interval '1 hour'`;
    const fresh = await makeProduct(t, { title: "Fresh" });
    const calls: { upserted: string[]; removed: number }[] = [];
    const recording: CatalogSearch = {
      name: "recording",
      search: () => Promise.reject(new Error("unused")),
      health: async () => ({ status: "ok" }),
      apply: async (c) => {
        calls.push({ upserted: c.upserted.map((d) => d.id), removed: c.removed.length });
      },
    };
    await syncSearchIndex(withEngine(recording));
    expect(calls).toEqual([
      { upserted: [], removed: SYNC_BATCH },
      { upserted: [], removed: SYNC_BATCH },
      { upserted: [fresh.id], removed: 7 },
    ]);
    expect(await queued()).toEqual([]);
    // The stand-in never saw it: queue it again for the tests that follow.
    await changed([fresh.id]);
  });

  test("while Typesense is away the job fails and the queue keeps its rows; the retry sends them", async () => {
    const p = await makeProduct(t, { title: "Patient" });
    await standIn.stop();
    try {
      await expect(syncSearchIndex(t.ctx())).rejects.toThrow();
      expect(await queued()).toContain(p.id);
    } finally {
      standIn.start();
    }
    await syncSearchIndex(t.ctx());
    expect(await queued()).toEqual([]);
    expect(indexed().has(p.id)).toBe(true);
  });

  test("property: after any interleaving of writes and runs, the index holds exactly the active products, as they are", async () => {
    const op = fc.record({ kind: fc.constantFrom("activate", "draft", "price", "delete", "sync"), which: fc.nat(3) });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 10 }), async (ops) => {
        const ids = (await Promise.all([0, 1, 2, 3].map((i) => makeProduct(t, { title: `Prop ${i}` })))).map(
          (p) => p.id,
        );
        for (const { kind, which } of ops) {
          const id = ids[which] as string;
          if (kind === "sync") await syncSearchIndex(t.ctx());
          else if (kind === "activate")
            await changed([id], (tx) => tx.db.execute(sql`update products set status = 'active' where id = ${id}`));
          else if (kind === "draft")
            await changed([id], (tx) => tx.db.execute(sql`update products set status = 'draft' where id = ${id}`));
          else if (kind === "delete")
            await changed([id], (tx) => tx.db.execute(sql`delete from products where id = ${id}`));
          else
            await changed([id], (tx) =>
              tx.db.execute(sql`update variants set price = price + 1 where product_id = ${id}`),
            );
        }
        await syncSearchIndex(t.ctx());
        const active = await t.sql<{ id: string; min_price: number }[]>`
          select id, min_price from products where status = 'active'`;
        expect([...indexed().keys()].sort()).toEqual(active.map((r) => r.id).sort());
        for (const r of active) expect(indexed().get(r.id)?.min_price).toBe(r.min_price);
      }),
      { numRuns: 6 },
    );
  });

  test("the stand-in refused nothing we sent", () => {
    expect(standIn.received.refused).toEqual([]);
  });
});
