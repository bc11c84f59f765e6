import { purgeIdempotencyKeys } from "./purge-idempotency-keys";

/** Every task by its identifier: the worker runs these, `enqueue` type-checks against them. */
export const tasks = {
  "purge-idempotency-keys": purgeIdempotencyKeys,
};

export type TaskName = keyof typeof tasks;

/** Periodic tasks, in Graphile Worker's crontab format. */
export const crontab = ["30 * * * * purge-idempotency-keys ?max=1"].join("\n");
