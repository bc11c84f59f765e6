import { z } from "@hono/zod-openapi";
import { PageQuery, page, QueryFlag } from "../../lib/pagination";
import { Line, Prose, Text } from "../../lib/text";
import { Country } from "../addresses/schemas";
import { Price as Money } from "../catalog/schemas";
import type { PricingShippingMethod, ShippingRate as PricingShippingRate } from "../pricing/service";

/** Weight bands one rate may have. */
export const MAX_WEIGHT_BANDS = 20;

const Grams = z.number().int().min(1).max(2_147_483_647);
const Days = z.number().int().min(0).max(365);
const Position = z.number().int().min(0).max(1_000_000);

const WeightBand = z.strictObject({
  maxGrams: Grams.openapi({ description: "The heaviest cart (total grams) this band ships", example: 2000 }),
  amount: Money.openapi({ description: "Minor units", example: 899 }),
});

/** Each band's maxGrams above the one before: pricing takes the first band that holds the weight. */
const ascendingBands = (bands: readonly { maxGrams: number }[], ctx: z.RefinementCtx) => {
  for (let i = 1; i < bands.length; i++) {
    if ((bands[i]?.maxGrams ?? 0) <= (bands[i - 1]?.maxGrams ?? 0)) {
      ctx.addIssue({
        code: "custom",
        path: [i, "maxGrams"],
        message: "Bands go in ascending maxGrams, each distinct: this one is not above the one before",
        input: bands,
      });
    }
  }
};

/** How a method charges (pricing's ShippingRate); sending a rate replaces the whole rate. */
export const ShippingRate = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("flat"), amount: Money.openapi({ example: 599 }) }),
    z.strictObject({
      kind: z.literal("free_above"),
      amount: Money.openapi({ description: "Charged below the threshold", example: 599 }),
      threshold: Money.openapi({
        description: "Free when the lines' total after discounts is at least this",
        example: 5000,
      }),
    }),
    z.strictObject({
      kind: z.literal("weight"),
      bands: z
        .array(WeightBand)
        .min(1)
        .max(MAX_WEIGHT_BANDS)
        .superRefine(ascendingBands)
        .readonly()
        .openapi({
          description: `1 to ${MAX_WEIGHT_BANDS} bands in ascending maxGrams; a cart heavier than the last cannot ship`,
        }),
    }),
  ])
  .openapi("ShippingRate", { description: "Amounts in the store currency's minor units" }) satisfies z.ZodType<
  PricingShippingRate,
  unknown
>;

export const ShippingMethod = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    countries: z.array(z.string()).openapi({ description: "ISO 3166-1 alpha-2", example: ["US"] }),
    rate: ShippingRate,
    estimatedDaysMin: z.number().int().nullable(),
    estimatedDaysMax: z.number().int().nullable(),
    enabled: z.boolean(),
    position: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("ShippingMethod");
export type ShippingMethod = z.infer<typeof ShippingMethod>;

export const ShippingMethodPage = page(ShippingMethod).openapi("ShippingMethodPage");
export type ShippingMethodPage = z.infer<typeof ShippingMethodPage>;

/** What a cart offers and prices with: pricing's method plus what a shopper is shown. */
export const ShippingMethodOption = ShippingMethod.pick({
  id: true,
  name: true,
  rate: true,
  description: true,
  countries: true,
  estimatedDaysMin: true,
  estimatedDaysMax: true,
}).openapi("ShippingMethodOption") satisfies z.ZodType<PricingShippingMethod, unknown>;
export type ShippingMethodOption = z.infer<typeof ShippingMethodOption>;

const Countries = z
  .array(Country)
  .min(1)
  .max(250)
  .transform((codes) => [...new Set(codes)])
  .openapi({ description: "ISO 3166-1 alpha-2, any case, at least one; duplicates are dropped", example: ["US"] });

const MethodFields = {
  name: Line.min(1).max(200).openapi({ example: "Standard" }),
  // Blank means none.
  description: Prose.max(2000)
    .nullable()
    .transform((v) => v || null)
    .openapi({ example: "Tracked, signed for" }),
  countries: Countries,
  rate: ShippingRate,
  estimatedDaysMin: Days.nullable().openapi({ description: "Business days, at most estimatedDaysMax", example: 3 }),
  estimatedDaysMax: Days.nullable().openapi({ example: 5 }),
  enabled: z.boolean().openapi({ description: "Offered to shoppers" }),
  position: Position.openapi({ description: "Display order, ascending" }),
};

/** A delivery estimate whose minimum is above its maximum: a field error naming `path`, or null. */
export const daysOutOfOrder = (
  min: number | null,
  max: number | null,
  path: "estimatedDaysMin" | "estimatedDaysMax" = "estimatedDaysMax",
) =>
  min !== null && max !== null && min > max
    ? { path, message: "estimatedDaysMin must be at most estimatedDaysMax" }
    : null;

export const CreateShippingMethodInput = z
  .strictObject({
    ...MethodFields,
    description: MethodFields.description.default(null),
    estimatedDaysMin: MethodFields.estimatedDaysMin.default(null),
    estimatedDaysMax: MethodFields.estimatedDaysMax.default(null),
    enabled: MethodFields.enabled.default(true),
    position: MethodFields.position.default(0),
  })
  .superRefine((m, ctx) => {
    const wrong = daysOutOfOrder(m.estimatedDaysMin, m.estimatedDaysMax);
    if (wrong) ctx.addIssue({ code: "custom", path: [wrong.path], message: wrong.message, input: m });
  })
  .openapi("CreateShippingMethodInput");

/** The REST body of an update: any of the fields; a rate given replaces the whole rate. */
export const UpdateShippingMethodBody = z.strictObject(MethodFields).partial().openapi("UpdateShippingMethodBody");
export const UpdateShippingMethodInput = UpdateShippingMethodBody.extend({ id: z.uuid() });
export type UpdateShippingMethodInput = z.output<typeof UpdateShippingMethodInput>;

export const ListShippingMethodsInput = PageQuery.extend({
  country: Country.optional().openapi({ description: "Only methods serving this country" }),
  enabled: QueryFlag.optional().openapi({ description: "Only enabled (true) or disabled (false) methods" }),
});

/** Where an order goes. Methods are set per country (domain.md); `region` is taken so one destination fits tax too. */
export const ShippingDestination = z.object({
  country: Country,
  region: Text.max(100).nullish(),
});
