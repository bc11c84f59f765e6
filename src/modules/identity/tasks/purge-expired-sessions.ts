import { defineTask } from "../../../jobs/task";
import { purgeExpiredSessionsJob } from "../jobs";
import * as identity from "../service";

/** Hourly: expired sessions and long-expired email tokens. Idempotent. */
export const purgeExpiredSessions = defineTask({
  job: purgeExpiredSessionsJob,
  schedule: "45 * * * *",
  async run(ctx) {
    await identity.purgeExpired(ctx);
  },
});
