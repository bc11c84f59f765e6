import { z } from "zod";
import { defineJob } from "../../jobs/job";

/** Cancels unpaid orders past their payment deadline (crontab, every minute). */
export const expireOrdersJob = defineJob("expire-orders", z.object({}).loose());
