import type { z } from "zod";
import type { Ctx } from "../lib/context";
import type { Mailer } from "../lib/mailer";
import type { Job } from "./job";

/** What tasks may use beyond the service context. */
export interface TaskEnv {
  mailer: Mailer;
  /** Where links in emails point: the storefront's base URL. */
  storefrontUrl: string;
}

/** A task is the third adapter: it parses its job's payload and calls a service with a system actor. */
export interface Task<S extends z.ZodType = z.ZodType> {
  job: Job<string, S>;
  /** Runs it periodically too: Graphile Worker's crontab time fields (`30 * * * *`). */
  schedule?: string;
  run(ctx: Ctx, payload: z.output<S>, env: TaskEnv): Promise<void>;
}

export const defineTask = <S extends z.ZodType>(task: Task<S>): Task<S> => task;
