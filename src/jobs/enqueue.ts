import { sql } from "drizzle-orm";
import type { z } from "zod";
import type { Ctx } from "../lib/context";
import { type TaskName, tasks } from "./tasks";

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding another. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Adds a job through the caller's connection: inside `inTransaction` it commits
 * or rolls back with the write that needs it (domain.md "Jobs").
 */
export async function enqueue<N extends TaskName>(
  ctx: Pick<Ctx, "db">,
  task: N,
  payload: z.input<(typeof tasks)[N]["payload"]>,
  opts: EnqueueOptions = {},
): Promise<void> {
  const data = tasks[task].payload.parse(payload);
  // The payload goes as text cast to json: a jsonb parameter finds no add_job overload.
  await ctx.db.execute(sql`select graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(data)}::json,
    run_at => ${opts.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${opts.maxAttempts ?? null}::int,
    job_key => ${opts.jobKey ?? null}::text
  )`);
}
