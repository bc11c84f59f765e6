import { z } from "zod";
import * as idempotency from "../../lib/idempotency";
import { defineTask } from "../task";

/** Hourly (crontab): drops Idempotency-Key records past their 24 h. Running twice deletes nothing more. */
export const purgeIdempotencyKeys = defineTask({
  payload: z.object({}).loose(),
  async run(ctx) {
    const purged = await idempotency.purgeExpired(ctx);
    if (purged > 0) ctx.log.info({ purged }, "purged expired idempotency keys");
  },
});
