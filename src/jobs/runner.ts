import { EventEmitter } from "node:events";
import { type Runner, run, runOnce, type TaskList, type WorkerEvents } from "graphile-worker";
import pg from "pg";
import type { Db } from "../db/client";
import type { Cache } from "../lib/cache";
import type { CatalogSearch } from "../lib/catalog-search";
import { type StoreSettings, systemContext } from "../lib/context";
import type { Logger } from "../lib/logger";
import type { PaymentProvider } from "../lib/payments";
import type { RateLimiter } from "../lib/rate-limit";
import { watchWorkerLocks } from "./dead-workers";
import { workerLogger } from "./logger";
import type { TaskEnv } from "./task";
import { crontab, tasks } from "./tasks";

export interface WorkerDeps extends TaskEnv {
  databaseUrl: string;
  db: Db;
  cache: Cache;
  limiter: RateLimiter;
  search: CatalogSearch;
  payments: PaymentProvider;
  store: StoreSettings;
  log: Logger;
}

export interface WorkerHandle {
  status(): "ok" | "down";
  stop(): Promise<void>;
}

/** Each task as Graphile Worker wants it: parse the payload, build a system ctx, run. */
function taskList(deps: WorkerDeps): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]) => [
      name,
      async (payload: unknown, helpers: { job: { id: string } }) => {
        const ctx = systemContext(deps, name, `job-${helpers.job.id}`);
        await task.run(ctx, task.job.payload.parse(payload ?? {}), deps);
      },
    ]),
  );
}

/** Starts Graphile Worker on its own pg pool; we own signals and shutdown order. */
export async function startWorker(deps: WorkerDeps, concurrency: number): Promise<WorkerHandle> {
  const pool = workerPool(deps, concurrency + 2);
  let state: "ok" | "down" = "ok";
  const events: WorkerEvents = new EventEmitter();
  let poolId: string | undefined;
  events.on("pool:create", ({ workerPool }) => {
    poolId = workerPool.id;
  });
  const runner: Runner = await run({
    pgPool: pool,
    taskList: taskList(deps),
    crontab,
    concurrency,
    noHandleSignals: true,
    logger: workerLogger(deps.log),
    events,
    preset: { worker: { localQueue: { size: concurrency * 2 }, completeJobBatchDelay: 10 } },
  });
  const unwatch = poolId ? await watchWorkerLocks(deps.databaseUrl, pool, poolId, deps.log) : async () => {};
  runner.promise.catch((err: Error) => {
    state = "down";
    deps.log.error({ err: err.message }, "worker stopped unexpectedly");
  });
  return {
    status: () => state,
    async stop() {
      await unwatch();
      await runner.stop();
      // runner.stop() resolves before the pool is released: end it ourselves, after.
      await pool.end();
    },
  };
}

/** Runs every job that is due, then returns: for scripts and tests that need a job's effect now. */
export async function runDueJobs(deps: WorkerDeps): Promise<void> {
  const pool = workerPool(deps, 2);
  try {
    await runOnce({ pgPool: pool, taskList: taskList(deps), logger: workerLogger(deps.log) });
  } finally {
    await pool.end();
  }
}

/** Graphile Worker's own pg pool. An idle client losing its server must not crash the process; the pool reconnects. */
function workerPool(deps: WorkerDeps, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: deps.databaseUrl, max });
  pool.on("error", (err) => deps.log.warn({ err: err.message }, "worker pool connection lost"));
  pool.on("connect", (client) => {
    client.on("error", (err) => deps.log.warn({ err: err.message }, "worker connection lost"));
  });
  return pool;
}
