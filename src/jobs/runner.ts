import { type Runner, run, type TaskList } from "graphile-worker";
import pg from "pg";
import type { Db } from "../db/client";
import type { Cache } from "../lib/cache";
import { systemContext } from "../lib/context";
import type { Logger } from "../lib/logger";
import { workerLogger } from "./logger";
import { crontab, tasks } from "./tasks";

export interface WorkerDeps {
  databaseUrl: string;
  db: Db;
  cache: Cache;
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
        await task.run(ctx, task.payload.parse(payload ?? {}));
      },
    ]),
  );
}

/** Starts Graphile Worker on its own pg pool; we own signals and shutdown order. */
export async function startWorker(deps: WorkerDeps, concurrency: number): Promise<WorkerHandle> {
  const pool = new pg.Pool({ connectionString: deps.databaseUrl, max: concurrency + 2 });
  // An idle client losing its server must not crash the process; the pool reconnects.
  pool.on("error", (err) => deps.log.warn({ err: err.message }, "worker pool connection lost"));
  pool.on("connect", (client) => {
    client.on("error", (err) => deps.log.warn({ err: err.message }, "worker connection lost"));
  });
  let state: "ok" | "down" = "ok";
  const runner: Runner = await run({
    pgPool: pool,
    taskList: taskList(deps),
    crontab,
    concurrency,
    noHandleSignals: true,
    logger: workerLogger(deps.log),
  });
  runner.promise.catch((err: Error) => {
    state = "down";
    deps.log.error({ err: err.message }, "worker stopped unexpectedly");
  });
  return {
    status: () => state,
    async stop() {
      await runner.stop();
      // runner.stop() resolves before the pool is released: end it ourselves, after.
      await pool.end();
    },
  };
}
