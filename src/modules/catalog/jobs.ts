import { z } from "zod";
import { defineJob } from "../../jobs/job";

/**
 * Brings the search index up to date with `product_changes` (db/schema/catalog.ts).
 * Enqueued under one job key by every catalog write, so writes in a burst share a
 * run; the search module implements it. The payload is empty: the table is the queue.
 */
export const syncSearchIndexJob = defineJob("sync-search-index", z.object({}).strict());

/**
 * One email to staff about a variant whose stock fell to its low-stock threshold.
 * `ledgerEntryId` is the change that crossed it: the alert is sent once per crossing,
 * however often the job runs.
 */
export const lowStockAlertJob = defineJob(
  "low-stock-alert",
  z
    .object({
      variantId: z.uuid(),
      ledgerEntryId: z.uuid(),
      available: z.number().int(),
      threshold: z.number().int(),
    })
    .strict(),
);
