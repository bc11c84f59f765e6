import { defineTask } from "../../../jobs/task";
import { sendOrderEmailJob } from "../jobs";
import * as orders from "../service";

/** The customer's mail about an event of their order (confirmation, payment, parcel, cancel, refund); a rerun sends none twice. */
export const orderEmail = defineTask({
  job: sendOrderEmailJob,
  async run(ctx, payload, env) {
    await orders.sendOrderEmail(ctx, payload, env);
  },
});
