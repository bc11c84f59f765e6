import { z } from "zod";
import * as idempotency from "../../lib/idempotency";
import { defineJob } from "../job";
import { defineTask } from "../task";

export const purgeIdempotencyKeysJob = defineJob("purge-idempotency-keys", z.object({}).loose());

/** Hourly: drops Idempotency-Key records past their 24 h. Running twice deletes nothing more. */
export const purgeIdempotencyKeys = defineTask({
  job: purgeIdempotencyKeysJob,
  schedule: "30 * * * *",
  async run(ctx) {
    const purged = await idempotency.purgeExpired(ctx);
    if (purged > 0) ctx.log.info({ purged }, "purged expired idempotency keys");
  },
});
