import { beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { ROOT } from "../../../../tests/server-process";
import { STAND_IN_API_KEY, useTypesenseStandIn } from "../../../../tests/typesense-stand-in";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx } from "../../catalog/service";
import { syncSearchIndex } from "../tasks/sync-search-index";
import { reindexTypesense } from "../typesense-reindex";
import { TypesenseSearch } from "../typesense-search";

const { standIn, env } = useTypesenseStandIn();
const t = await useTestApp({ env });
const typesense = new TypesenseSearch({ url: standIn.url, apiKey: STAND_IN_API_KEY });
const db = () => t.deps.database.db;
const active: string[] = [];

beforeAll(async () => {
  for (const title of ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]) active.push((await makeProduct(t, { title })).id);
  await makeProduct(t, { title: "Draft", status: "draft" });
  await t.runJobs();
});

const live = () => standIn.collection("products");
const collectionNames = () => [...standIn.collections.keys()].sort();

describe("reindexing (Typesense stand-in)", () => {
  test("builds a new collection of every active product, swaps the alias to it and drops the old one", async () => {
    expect(standIn.aliases.get("products")).toBe("products_initial");
    const progress: [number, number][] = [];
    const result = await reindexTypesense(
      db(),
      typesense,
      (done, total) => {
        progress.push([done, total]);
      },
      2,
    );
    expect(result.previous).toBe("products_initial");
    expect(result.collection).toMatch(/^products_\d+$/);
    expect(result.indexed).toBe(5);
    expect(standIn.aliases.get("products")).toBe(result.collection);
    expect(standIn.aliases.has("products_building")).toBe(false);
    expect(collectionNames()).toEqual([result.collection]);
    expect([...(live()?.docs.keys() ?? [])].sort()).toEqual([...active].sort());
    expect(progress).toEqual([
      [0, 5],
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
  });

  test("a change indexed while the new collection builds is in it after the swap", async () => {
    const [first] = [...active].sort();
    let touched = false;
    const result = await reindexTypesense(
      db(),
      typesense,
      async (done) => {
        if (done !== 2 || touched) return;
        touched = true;
        // The first product is already copied; its change reaches the building collection through the job.
        await inTransaction(t.ctx(), async (tx) => {
          await tx.db.execute(sql`update products set title = 'Alpha Prime' where id = ${first}`);
          await productsChangedInTx(tx, [first as string]);
        });
        await syncSearchIndex(t.ctx());
      },
      2,
    );
    expect(standIn.aliases.get("products")).toBe(result.collection);
    expect(live()?.docs.get(first as string)?.title).toBe("Alpha Prime");
  });

  test("a build that fails leaves the live alias as it was and drops the half-built collection", async () => {
    const before = standIn.aliases.get("products");
    const names = collectionNames();
    await expect(
      reindexTypesense(db(), typesense, (done) => {
        if (done > 0) throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    expect(standIn.aliases.get("products")).toBe(before);
    expect(standIn.aliases.has("products_building")).toBe(false);
    expect(collectionNames()).toEqual(names);
  });

  const runScript = async (extra: Record<string, string>) => {
    const proc = Bun.spawn(["bun", "scripts/search-reindex.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", LOG_LEVEL: "silent", ...extra },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    return { code, stderr };
  };

  test("`bun run search:reindex` without TYPESENSE_URL fails with one line saying what it needs", async () => {
    const { code, stderr } = await runScript({ DATABASE_URL: t.databaseUrl, MIGRATE_ON_BOOT: "false" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      "cartwright: search:reindex needs TYPESENSE_URL and TYPESENSE_API_KEY (search runs on Postgres without them)",
    ]);
  });

  test("`bun run search:reindex` swaps the alias and reports what it did", async () => {
    const before = standIn.aliases.get("products");
    const { code, stderr } = await runScript({ ...env, DATABASE_URL: t.databaseUrl, MIGRATE_ON_BOOT: "false" });
    expect(code).toBe(0);
    const after = standIn.aliases.get("products");
    expect(after).not.toBe(before);
    expect(stderr).toContain(`reindexed 5 products into ${after}`);
    expect(stderr).toContain(`dropped ${before}`);
    expect(collectionNames()).toEqual([after as string]);
  }, 30_000);

  test("the stand-in refused nothing we sent", () => {
    expect(standIn.received.refused).toEqual([]);
  });
});
