import { defineTask } from "../../../jobs/task";
import { purgeLapsedCartsJob } from "../jobs";
import { purgeLapsedCarts } from "../purge";

/** Hourly: guest carts nobody can open any more are deleted with their lines. Idempotent. */
export const purgeLapsedCartsTask = defineTask({
  job: purgeLapsedCartsJob,
  schedule: "20 * * * *",
  async run(ctx) {
    const purged = await purgeLapsedCarts(ctx);
    if (purged > 0) ctx.log.info({ purged }, "deleted lapsed guest carts");
  },
});
