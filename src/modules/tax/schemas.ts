import { z } from "@hono/zod-openapi";
import { PageQuery, page } from "../../lib/pagination";
import { Line, Text } from "../../lib/text";
import { Country } from "../addresses/schemas";

/** An ISO 3166-2 subdivision code without its country prefix: "CA" (with country US) for US-CA, California. */
export const REGION_CODE = /^[A-Z0-9]{1,3}$/;

const Region = Line.max(3)
  .transform((code) => code.toUpperCase())
  .refine((code) => REGION_CODE.test(code), "An ISO 3166-2 subdivision code without the country, such as CA for US-CA")
  .openapi({
    description: "ISO 3166-2 subdivision code without the country prefix (CA for US-CA), any case; stored upper-case",
    example: "CA",
  });

const BasisPoints = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .openapi({ description: "Hundredths of a percent: 825 = 8.25%", example: 825 });

export const TaxRate = z
  .object({
    id: z.uuid(),
    country: z.string().openapi({ description: "ISO 3166-1 alpha-2", example: "US" }),
    region: z
      .string()
      .nullable()
      .openapi({ description: "Subdivision code without the country; null: the whole country" }),
    name: z.string(),
    rateBasisPoints: z.number().int(),
    appliesToShipping: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("TaxRate");
export type TaxRate = z.infer<typeof TaxRate>;

export const TaxRatePage = page(TaxRate).openapi("TaxRatePage");
export type TaxRatePage = z.infer<typeof TaxRatePage>;

const RateFields = {
  country: Country,
  region: Region.nullable().openapi({
    description: "ISO 3166-2 subdivision code without the country (CA for US-CA); null: the whole country",
  }),
  name: Line.min(1).max(100).openapi({ example: "Sales tax" }),
  rateBasisPoints: BasisPoints,
  appliesToShipping: z.boolean().openapi({ description: "Shipping is taxed at this rate too" }),
};

export const CreateTaxRateInput = z
  .strictObject({
    ...RateFields,
    region: RateFields.region.default(null),
    appliesToShipping: RateFields.appliesToShipping.default(false),
  })
  .openapi("CreateTaxRateInput", {
    description: "One rate per country and region, and one country-wide (region null): a second is 409",
  });

/** The REST body of an update: any of the fields. */
export const UpdateTaxRateBody = z.strictObject(RateFields).partial().openapi("UpdateTaxRateBody");
export const UpdateTaxRateInput = UpdateTaxRateBody.extend({ id: z.uuid() });

export const ListTaxRatesInput = PageQuery.extend({
  country: Country.optional().openapi({ description: "Only this country's rates (its regions' too)" }),
});

/**
 * Where an order goes, as an address has it: `region` is free text there, so any spelling is taken;
 * one that reads as a subdivision code (CA, ca or US-CA) finds that region's rate.
 */
export const TaxDestination = z.object({
  country: Country,
  region: Text.max(100).nullish(),
});
