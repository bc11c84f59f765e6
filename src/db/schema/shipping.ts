import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { ShippingRate } from "../../modules/pricing/types";
import { constraintFields } from "./constraint-fields";

/** How orders reach a country, and what that costs (module shipping). */
export const shippingMethods = pgTable(
  "shipping_methods",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    /** ISO 3166-1 alpha-2, upper case, at least one. */
    countries: text("countries").array().notNull(),
    /** A pricing ShippingRate, whole: changing its kind replaces it, so one value keeps kind and fields together. */
    rate: jsonb("rate").$type<ShippingRate>().notNull(),
    estimatedDaysMin: integer("estimated_days_min"),
    estimatedDaysMax: integer("estimated_days_max"),
    enabled: boolean("enabled").notNull().default(true),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("shipping_methods_created_id_idx").on(t.createdAt.desc(), t.id.desc()),
    // methodsFor reads `countries @> {XX}` on every cart read.
    index("shipping_methods_countries_idx").using("gin", t.countries),
    check(
      "shipping_methods_countries_alpha2",
      sql`cardinality(${t.countries}) >= 1 and array_to_string(${t.countries}, ',') ~ '^[A-Z]{2}(,[A-Z]{2})*$'`,
    ),
    check("shipping_methods_rate_kind", sql`${t.rate}->>'kind' in ('flat', 'free_above', 'weight')`),
    // Every number in a rate is money or grams: a whole number, never negative (domain.md "No amount is ever negative").
    check(
      "shipping_methods_rate_amounts",
      sql`not jsonb_path_exists(${t.rate}, '$.** ? (@.type() == "number" && (@ < 0 || @ != @.floor()))')`,
    ),
    check(
      "shipping_methods_estimated_days",
      sql`${t.estimatedDaysMin} >= 0 and ${t.estimatedDaysMax} >= 0 and ${t.estimatedDaysMin} <= ${t.estimatedDaysMax}`,
    ),
  ],
);

/**
 * A destination's tax rate (module tax). `region` is the ISO 3166-2 subdivision code without its
 * country prefix ("CA" with country "US" is California), or null for the whole country.
 */
export const taxRates = pgTable(
  "tax_rates",
  {
    id: uuid("id").primaryKey(),
    country: text("country").notNull(),
    region: text("region"),
    name: text("name").notNull(),
    rateBasisPoints: integer("rate_basis_points").notNull(),
    appliesToShipping: boolean("applies_to_shipping").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("tax_rates_created_id_idx").on(t.createdAt.desc(), t.id.desc()),
    // One rate per region, and one country-wide rate: a plain unique would let many null regions through.
    uniqueIndex("tax_rates_country_region_unique").on(t.country, sql`coalesce(${t.region}, '')`),
    check("tax_rates_country_alpha2", sql`${t.country} ~ '^[A-Z]{2}$'`),
    check("tax_rates_region_code", sql`${t.region} ~ '^[A-Z0-9]{1,3}$'`),
    check("tax_rates_basis_points", sql`${t.rateBasisPoints} between 0 and 10000`),
  ],
);

/** The field each shipping and tax constraint guards (constraints.ts). */
export const shippingConstraints = [
  constraintFields(taxRates, {
    // With the country: this country already has a rate for this region (or, region null, a country-wide one).
    tax_rates_country_region_unique: "region",
  }),
];
