import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { shippingMethods, taxRates } from "../db/schema";
import type { Ctx } from "../lib/context";
import type { CreateShippingMethodInput } from "../modules/shipping/schemas";
import * as shipping from "../modules/shipping/service";
import type { CreateTaxRateInput } from "../modules/tax/schemas";
import * as tax from "../modules/tax/service";
import type { Progress } from "./progress";

type NewMethod = z.input<typeof CreateShippingMethodInput>;
type NewRate = z.input<typeof CreateTaxRateInput>;

const EU = ["DE", "FR", "NL"];

/** The demo store's shipping methods; a method is known again by its name and countries. Amounts in cents/pence. */
export const DEMO_SHIPPING_METHODS: readonly NewMethod[] = [
  {
    name: "Standard",
    description: "Free on orders of $50 or more",
    countries: ["US"],
    rate: { kind: "free_above", amount: 599, threshold: 5000 },
    estimatedDaysMin: 3,
    estimatedDaysMax: 5,
    position: 0,
  },
  {
    name: "Express",
    countries: ["US"],
    rate: { kind: "flat", amount: 1999 },
    estimatedDaysMin: 1,
    estimatedDaysMax: 2,
    position: 1,
  },
  {
    name: "Standard",
    countries: ["CA"],
    rate: { kind: "flat", amount: 1299 },
    estimatedDaysMin: 4,
    estimatedDaysMax: 8,
    position: 0,
  },
  {
    name: "Royal Mail Tracked",
    countries: ["GB"],
    rate: { kind: "flat", amount: 495 },
    estimatedDaysMin: 2,
    estimatedDaysMax: 3,
    position: 0,
  },
  {
    name: "Standard",
    description: "Priced by parcel weight",
    countries: EU,
    rate: {
      kind: "weight",
      bands: [
        { maxGrams: 1000, amount: 690 },
        { maxGrams: 5000, amount: 1290 },
        { maxGrams: 20000, amount: 2490 },
      ],
    },
    estimatedDaysMin: 3,
    estimatedDaysMax: 6,
    position: 0,
  },
  {
    name: "Australia Post",
    countries: ["AU"],
    rate: {
      kind: "weight",
      bands: [
        { maxGrams: 500, amount: 1095 },
        { maxGrams: 3000, amount: 1895 },
        { maxGrams: 10000, amount: 3495 },
      ],
    },
    estimatedDaysMin: 6,
    estimatedDaysMax: 12,
    position: 0,
  },
];

/** The demo store's tax rates: US states only (no country-wide US rate), CA's GST with Ontario's HST, EU and UK VAT. */
export const DEMO_TAX_RATES: readonly NewRate[] = [
  { country: "US", region: "CA", name: "California sales tax", rateBasisPoints: 725 },
  { country: "US", region: "NY", name: "New York sales tax", rateBasisPoints: 400 },
  { country: "US", region: "TX", name: "Texas sales tax", rateBasisPoints: 625 },
  { country: "CA", name: "GST", rateBasisPoints: 500 },
  { country: "CA", region: "ON", name: "HST", rateBasisPoints: 1300 },
  { country: "GB", name: "VAT", rateBasisPoints: 2000, appliesToShipping: true },
  { country: "DE", name: "MwSt", rateBasisPoints: 1900 },
  { country: "FR", name: "TVA", rateBasisPoints: 2000 },
  { country: "NL", name: "BTW", rateBasisPoints: 2100 },
  { country: "AU", name: "GST", rateBasisPoints: 1000 },
];

/**
 * Seeds the demo shipping methods and tax rates through the services; what exists already
 * (a method by name and countries, a rate by country and region) is left as it is.
 */
export async function seedShippingAndTax(ctx: Ctx, progress: Progress): Promise<{ created: number }> {
  let created = 0;
  for (const [i, method] of DEMO_SHIPPING_METHODS.entries()) {
    const [existing] = await ctx.db
      .select({ id: shippingMethods.id })
      .from(shippingMethods)
      .where(and(eq(shippingMethods.name, method.name), eq(shippingMethods.countries, [...method.countries])));
    if (!existing) {
      await shipping.createShippingMethod(ctx, method);
      created++;
    }
    progress("shipping methods", i + 1, DEMO_SHIPPING_METHODS.length);
  }
  for (const [i, rate] of DEMO_TAX_RATES.entries()) {
    const region = rate.region ?? null;
    const [existing] = await ctx.db
      .select({ id: taxRates.id })
      .from(taxRates)
      .where(
        and(
          eq(taxRates.country, rate.country),
          region === null ? isNull(taxRates.region) : eq(taxRates.region, region),
        ),
      );
    if (!existing) {
      await tax.createTaxRate(ctx, rate);
      created++;
    }
    progress("tax rates", i + 1, DEMO_TAX_RATES.length);
  }
  return { created };
}
