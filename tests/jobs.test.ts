import { describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import pg from "pg";
import { workerDeps } from "../src/deps";
import { releaseDeadWorkers } from "../src/jobs/dead-workers";
import { enqueue } from "../src/jobs/enqueue";
import { startWorker } from "../src/jobs/runner";
import { purgeIdempotencyKeys, purgeIdempotencyKeysJob } from "../src/jobs/tasks/purge-idempotency-keys";
import { inTransaction } from "../src/lib/transaction";
import { purgeExpiredSessions } from "../src/modules/identity/tasks/purge-expired-sessions";
import { useTestApp } from "./harness";

const t = await useTestApp();
const system = t.ctx({ kind: "system", name: "test" });

const pendingJobs = async (task: string) =>
  (await t.sql`select id, attempts, last_error from graphile_worker.jobs where task_identifier = ${task}`).length;

const insertKey = (key: string, expiresIn: string) =>
  t.sql`insert into idempotency_keys (scope, key, request_hash, status, body, expires_at)
        values ('test', ${key}, 'h', 201, '{}'::jsonb, now() + ${expiresIn}::interval)`;

const keyExists = async (key: string) => (await t.sql`select 1 from idempotency_keys where key = ${key}`).length > 0;

describe("enqueue", () => {
  test("a rolled back transaction leaves no job behind", async () => {
    await inTransaction(system, async (tx) => {
      await enqueue(tx, purgeIdempotencyKeysJob, {});
      expect(await tx.db.execute(sql`select 1 from graphile_worker.jobs`)).toHaveLength(1);
      throw new Error("roll back");
    }).catch(() => {});
    expect(await pendingJobs("purge-idempotency-keys")).toBe(0);
  });

  test("a committed job runs on the worker and has its effect", async () => {
    await insertKey("expired-1", "-1 hour");
    await insertKey("fresh-1", "23 hours");
    await inTransaction(system, (tx) => enqueue(tx, purgeIdempotencyKeysJob, {}));
    expect(await pendingJobs("purge-idempotency-keys")).toBe(1);

    const worker = await startWorker(workerDeps(t.deps), 1);
    try {
      for (let i = 0; i < 100 && (await pendingJobs("purge-idempotency-keys")) > 0; i++) await Bun.sleep(50);
    } finally {
      await worker.stop();
    }
    expect(await pendingJobs("purge-idempotency-keys")).toBe(0);
    expect(await keyExists("expired-1")).toBe(false);
    expect(await keyExists("fresh-1")).toBe(true);
  });
});

describe("purge-idempotency-keys", () => {
  test("running it twice has one effect", async () => {
    await insertKey("expired-2", "-2 hours");
    await insertKey("fresh-2", "1 hour");
    const task = purgeIdempotencyKeys;
    const env = workerDeps(t.deps);
    await task.run(system, {}, env);
    await task.run(system, {}, env);
    expect(await keyExists("expired-2")).toBe(false);
    expect(await keyExists("fresh-2")).toBe(true);
  });

  test("is scheduled hourly by the crontab, beside the modules' scheduled tasks", async () => {
    const { crontab, tasks } = await import("../src/jobs/tasks");
    expect(crontab).toMatch(/^30 \* \* \* \* purge-idempotency-keys/m);
    // Derived from the modules' manifests: identity's scheduled task is there, its unscheduled one only in the task list.
    expect(crontab).toMatch(/^45 \* \* \* \* purge-expired-sessions/m);
    expect(crontab).not.toContain("send-account-email");
    expect(Object.keys(tasks).sort()).toEqual([
      "cancel-payment",
      "execute-refund",
      "expire-orders",
      "low-stock-alert",
      "purge-expired-sessions",
      "purge-idempotency-keys",
      "purge-lapsed-carts",
      "send-account-email",
      "send-order-email",
      "sync-search-index",
    ]);
  });
});

describe("purge-expired-sessions", () => {
  test("drops expired sessions and long-expired email tokens, keeps live ones, and is idempotent", async () => {
    const u = await t.user();
    await t.sql`insert into sessions (id, user_id, expires_at) values ('old-session', ${u.id}, now() - interval '1 minute')`;
    await t.sql`insert into email_tokens (id, user_id, purpose, token_hash, expires_at)
                values (gen_random_uuid(), ${u.id}, 'reset_password', 'old-hash', now() - interval '2 days'),
                       (gen_random_uuid(), ${u.id}, 'reset_password', 'fresh-hash', now() + interval '1 hour')`;
    const task = purgeExpiredSessions;
    const env = workerDeps(t.deps);
    await task.run(system, {}, env);
    await task.run(system, {}, env);
    const sessions = await t.sql`select id from sessions where user_id = ${u.id}`;
    expect(sessions.map((r) => r.id)).not.toContain("old-session");
    expect(sessions).toHaveLength(1);
    const tokens = await t.sql`select token_hash from email_tokens where user_id = ${u.id}`;
    expect(tokens.map((r) => r.token_hash)).toEqual(["fresh-hash"]);
  });
});

describe("jobs of a worker that died", () => {
  test("are released when no connection names their pool any more; a live pool's stay locked", async () => {
    const pool = new pg.Pool({ connectionString: t.databaseUrl, max: 2 });
    const alive = new pg.Client({ connectionString: t.databaseUrl, application_name: "cw-worker:pool-alive" });
    await alive.connect();
    try {
      await inTransaction(system, async (tx) => {
        await enqueue(tx, purgeIdempotencyKeysJob, {}, { jobKey: "dead-one" });
        await enqueue(tx, purgeIdempotencyKeysJob, {}, { jobKey: "live-one" });
      });
      await t.sql`update graphile_worker._private_jobs set locked_by = case key when 'dead-one' then 'pool-dead' else 'pool-alive' end,
        locked_at = now() - interval '1 minute' where key in ('dead-one', 'live-one')`;
      expect(await releaseDeadWorkers(pool)).toBe(1);
      const locks =
        await t.sql`select key, locked_by from graphile_worker._private_jobs where key in ('dead-one', 'live-one') order by key`;
      expect([...locks]).toEqual([
        { key: "dead-one", locked_by: null },
        { key: "live-one", locked_by: "pool-alive" },
      ]);
      expect(await releaseDeadWorkers(pool)).toBe(0);
    } finally {
      await alive.end();
      await pool.end();
    }
  });
});
