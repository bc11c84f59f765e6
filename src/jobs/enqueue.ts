import { sql } from "drizzle-orm";
import type { z } from "zod";
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
  // The payload goes as text cast to json: a jsonb parameter finds no add_job overload.
  await tx.db.execute(sql`select graphile_worker.add_job(
    ${job.name}::text,
    ${JSON.stringify(data)}::json,
    run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null}::text
  )`);
}
