import { z } from "@hono/zod-openapi";

export const IMPORT_OUTCOMES = ["created", "updated", "unchanged"] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

const Outcome = z.enum(IMPORT_OUTCOMES);
const Tally = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

/** What an import did, row by row (the rows' order), and in total. */
export const ImportReport = z
  .object({
    rows: z.array(
      z.object({
        row: z.number().int().openapi({ description: "The row's index in the import, from 0" }),
        sku: z.string(),
        variantId: z.uuid(),
        variant: Outcome.openapi({ description: "A stock change alone makes a variant `updated`" }),
        productSlug: z.string(),
        productId: z.uuid(),
        product: Outcome.openapi({ description: "The same on every row of one product" }),
      }),
    ),
    products: Tally,
    variants: Tally,
  })
  .openapi("ImportReport");
export type ImportReport = z.infer<typeof ImportReport>;

/** How many of each outcome. */
export function tally(outcomes: Iterable<ImportOutcome>): z.infer<typeof Tally> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const o of outcomes) counts[o]++;
  return counts;
}
