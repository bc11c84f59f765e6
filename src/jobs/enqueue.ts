import { sql } from "drizzle-orm";
import type { z } from "zod";
import { PREPARED } from "../db/client";
import { statement } from "../db/statement";
import type { TxCtx } from "../lib/transaction";
import type { Job } from "./job";

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding another. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job in the caller's transaction: it commits or rolls back with the write
 * that needs it (domain.md "Jobs"). A job with no write to go with it still asks
 * for one (`inTransaction(ctx, (tx) => enqueue(tx, ...))`), so an enqueue beside
 * a write, but outside its transaction, does not compile.
 */
export async function enqueue<S extends z.ZodType>(
  tx: TxCtx,
  job: Job<string, S>,
  payload: z.input<S>,
  opts: EnqueueOptions = {},
): Promise<void> {
  const data = job.payload.parse(payload);
  await addJob(tx.db, {
    task: job.name,
    payload: JSON.stringify(data),
    runAt: opts.runAt?.toISOString() ?? null,
    maxAttempts: opts.maxAttempts ?? null,
    jobKey: opts.jobKey ?? null,
  });
}

// The payload goes as text cast to json: a jsonb parameter finds no add_job overload.
const addJob = statement(
  ["task", "payload", "runAt", "maxAttempts", "jobKey"],
  (p) => sql`${PREPARED}select graphile_worker.add_job(
    ${p.task}::text,
    ${p.payload}::json,
    run_at => ${p.runAt}::timestamptz,
    max_attempts => ${p.maxAttempts}::int,
    job_key => ${p.jobKey}::text
  )`,
);
