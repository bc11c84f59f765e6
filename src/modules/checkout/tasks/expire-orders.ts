import { defineTask } from "../../../jobs/task";
import { expireOrders } from "../expire";
import { expireOrdersJob } from "../jobs";

/** Every minute: unpaid orders past their deadline are cancelled, their stock and promotion uses given back. */
export const expireOrdersTask = defineTask({
  job: expireOrdersJob,
  schedule: "* * * * *",
  async run(ctx) {
    const cancelled = await expireOrders(ctx);
    if (cancelled > 0) ctx.log.info({ cancelled }, "expired unpaid orders");
  },
});
