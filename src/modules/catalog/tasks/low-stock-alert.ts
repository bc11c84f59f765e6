import { defineTask } from "../../../jobs/task";
import { sendLowStockAlert } from "../inventory-alerts";
import { lowStockAlertJob } from "../jobs";

/** Mails staff about a variant that fell to its low-stock threshold; a rerun mails nobody twice. */
export const lowStockAlert = defineTask({
  job: lowStockAlertJob,
  async run(ctx, payload, env) {
    await sendLowStockAlert(ctx, payload, env.mailer);
  },
});
