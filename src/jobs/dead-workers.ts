import pg from "pg";
import type { Logger } from "../lib/logger";

// Graphile Worker locks a job by the id of the worker pool running it, and only releases the
// locks of a pool that vanished without a word (SIGKILL, a lost host) after 4 hours. So each
// running pool keeps one connection named after it; a lock whose pool has no such connection
// left belongs to a dead process, and any live pool gives it back, so the job runs again soon.
// (Jobs are safe to run twice: domain.md "Jobs".) Behind a transaction-pooling PgBouncer the
// connection would not prove its pool alive: run the worker on a direct connection there.

const MARK = "cw-worker:";
/** A lock this young is left alone: its pool may be opening its named connection still. */
const GRACE_SECONDS = 5;
const SWEEP_EVERY_MS = 10_000;

/** Locks of pools with no named connection left, released; answers how many jobs were freed. */
export async function releaseDeadWorkers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ freed: number }>(
    `with dead as (
       select distinct j.locked_by as id from graphile_worker._private_jobs j
       where j.locked_by is not null and j.locked_at < now() - make_interval(secs => $1)
         and not exists (select 1 from pg_stat_activity a where a.application_name = $2 || j.locked_by)
     ), released as (
       select graphile_worker.force_unlock_workers(array(select id from dead))
     )
     select (select count(*) from graphile_worker._private_jobs where locked_by in (select id from dead))::int as freed
     from released`,
    [GRACE_SECONDS, MARK],
  );
  return rows[0]?.freed ?? 0;
}

/**
 * Marks pool `poolId` alive for as long as this process lives (its named connection), and sweeps
 * dead pools' locks now and every 10 s. Answers a stop function.
 */
export async function watchWorkerLocks(
  databaseUrl: string,
  pool: pg.Pool,
  poolId: string,
  log: Logger,
): Promise<() => Promise<void>> {
  let marker: pg.Client | null = null;
  let stopped = false;
  const mark = async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `${MARK}${poolId}` });
    client.on("error", (err) => {
      log.warn({ err: err.message }, "worker liveness connection lost");
      marker = null;
    });
    await client.connect();
    marker = client;
  };
  const sweep = async () => {
    try {
      if (!marker) await mark();
      const freed = await releaseDeadWorkers(pool);
      if (freed > 0) log.warn({ freed }, "released jobs locked by a worker that died");
    } catch (err) {
      log.warn({ err: (err as Error).message }, "could not check for dead workers' jobs");
    }
  };
  await sweep();
  const timer = setInterval(() => void (stopped || sweep()), SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await (marker as pg.Client | null)?.end().catch(() => {});
  };
}
