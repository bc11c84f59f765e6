import { z } from "zod";
import { defineJob } from "../../jobs/job";

/** Deletes guest carts past their 30 days, and merged ones as old (crontab, hourly). */
export const purgeLapsedCartsJob = defineJob("purge-lapsed-carts", z.object({}).loose());
