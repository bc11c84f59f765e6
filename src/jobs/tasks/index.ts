import { purgeExpiredSessions } from "./purge-expired-sessions";
import { purgeIdempotencyKeys } from "./purge-idempotency-keys";
import { sendAccountEmail } from "./send-account-email";

/** Every task by its identifier: the worker runs these, `enqueue` type-checks against them. */
export const tasks = {
  "purge-idempotency-keys": purgeIdempotencyKeys,
  "purge-expired-sessions": purgeExpiredSessions,
  "send-account-email": sendAccountEmail,
};

export type TaskName = keyof typeof tasks;

/** Periodic tasks, in Graphile Worker's crontab format. */
export const crontab = ["30 * * * * purge-idempotency-keys ?max=1", "45 * * * * purge-expired-sessions ?max=1"].join(
  "\n",
);
