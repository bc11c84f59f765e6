import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { taxRates } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import type { PricingTax } from "../pricing/service";
import {
  CreateTaxRateInput,
  ListTaxRatesInput,
  REGION_CODE,
  TaxDestination,
  type TaxRate,
  type TaxRatePage,
  UpdateTaxRateInput,
} from "./schemas";

/** What every cached tax lookup depends on; each tax rate write invalidates it once committed. */
export const TAX_RATES_TAG = "tax-rates";

type RateRow = typeof taxRates.$inferSelect;

const toTaxRate = (row: RateRow): TaxRate => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const notFound = () => new AppError("NOT_FOUND", "Tax rate not found");

// After the commit: a cart read in between would cache the old rate under the new version.
const invalidateRates = (tx: TxCtx) => tx.afterCommit(() => tx.cache.invalidateTags([TAX_RATES_TAG]));

/** Every tax rate, newest first, optionally one country's. Staff only. */
export async function listTaxRates(ctx: Ctx, raw: z.input<typeof ListTaxRatesInput>): Promise<TaxRatePage> {
  requireStaff(ctx.actor);
  const input = ListTaxRatesInput.parse(raw);
  const rows = await ctx.db
    .select({ row: taxRates, id: taxRates.id, pageKey: pageKey(taxRates) })
    .from(taxRates)
    .where(
      and(after(taxRates, input.cursor), input.country === undefined ? undefined : eq(taxRates.country, input.country)),
    )
    .orderBy(...newestFirst(taxRates))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => toTaxRate(r.row));
}

/** One tax rate. Staff only. */
export async function getTaxRate(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<TaxRate> {
  requireStaff(ctx.actor);
  const { id } = IdParam.parse(raw);
  const [row] = await ctx.db.select().from(taxRates).where(eq(taxRates.id, id));
  if (!row) throw notFound();
  return toTaxRate(row);
}

/** Creates a country's or a region's rate; a second for the same country and region is CONFLICT naming `region`. Staff only. */
export async function createTaxRate(ctx: Ctx, raw: z.input<typeof CreateTaxRateInput>): Promise<TaxRate> {
  requireStaff(ctx.actor);
  const input = CreateTaxRateInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // The unique index on (country, coalesce(region, '')) refuses a duplicate, racing or not.
    const [row] = await tx.db
      .insert(taxRates)
      .values({ ...input, id: newId() })
      .returning();
    invalidateRates(tx);
    return toTaxRate(row as RateRow);
  });
}

/** Changes some fields of a tax rate; moving it onto another rate's country and region is CONFLICT. Staff only. */
export async function updateTaxRate(ctx: Ctx, raw: z.input<typeof UpdateTaxRateInput>): Promise<TaxRate> {
  requireStaff(ctx.actor);
  const { id, ...patch } = UpdateTaxRateInput.parse(raw);
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new AppError("VALIDATION_FAILED", "Give at least one field to change", {
      errors: [{ path: "(root)", message: "Give at least one field to change" }],
    });
  }
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(taxRates)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(taxRates.id, id))
      .returning();
    if (!row) throw notFound();
    invalidateRates(tx);
    return toTaxRate(row);
  });
}

/** Deletes a tax rate: the destination falls back to its country's rate, or none. Staff only. */
export async function deleteTaxRate(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor);
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const gone = await tx.db.delete(taxRates).where(eq(taxRates.id, id)).returning({ id: taxRates.id });
    if (gone.length === 0) throw notFound();
    invalidateRates(tx);
  });
}

/**
 * The destination's tax for pricing: its region's rate when one is set, else its country's
 * (region null), else null (no tax). Prices contain it when the store says so (PRICES_INCLUDE_TAX).
 * Cached, as every cart read asks; any tax rate write refreshes it.
 */
export async function taxFor(ctx: Ctx, raw: z.input<typeof TaxDestination>): Promise<PricingTax | null> {
  const { country, region } = TaxDestination.parse(raw);
  const code = regionCode(country, region);
  const rate = await ctx.cache.wrap(`tax:rate:${country}:${code ?? ""}`, { tags: [TAX_RATES_TAG] }, async () => {
    const [row] = await ctx.db
      .select({ rateBasisPoints: taxRates.rateBasisPoints, appliesToShipping: taxRates.appliesToShipping })
      .from(taxRates)
      .where(
        and(
          eq(taxRates.country, country),
          code === null ? isNull(taxRates.region) : or(isNull(taxRates.region), eq(taxRates.region, code)),
        ),
      )
      // The region's own rate first (false sorts before true), the country's after.
      .orderBy(sql`${taxRates.region} is null`)
      .limit(1);
    return row ?? null;
  });
  return rate && { ...rate, inclusive: ctx.store.pricesIncludeTax };
}

/**
 * An address's region as a subdivision code, or null when it reads as none: "ca", "CA" and
 * "US-CA" are CA for the US; "California" matches no code, so the country's rate applies.
 */
function regionCode(country: string, region: string | null | undefined): string | null {
  const upper = region?.trim().toUpperCase() ?? "";
  const code = upper.startsWith(`${country}-`) ? upper.slice(country.length + 1) : upper;
  return REGION_CODE.test(code) ? code : null;
}
