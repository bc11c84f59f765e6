import { z } from "@hono/zod-openapi";
import { fromDigits, PageQuery, QueryFlag } from "../../lib/pagination";
import { Line } from "../../lib/text";
import { Currency, ProductCard } from "../catalog/schemas";
import { productFilterFields } from "../catalog/service";

/** The deepest page a search walks to: past it, a shopper refines the query instead (and no engine sorts 50,000 hits). */
export const MAX_PAGE = 500;

const SORTS = ["relevance", "newest", "price_asc", "price_desc", "title"] as const;

/** An integer in decimal digits in a query string, or a number over tRPC. */
const Int = (min: number, max: number) =>
  z.preprocess<unknown, z.ZodNumber, number>(
    fromDigits,
    z
      .number({ error: (iss) => (iss.code === "invalid_type" ? "An integer in decimal digits" : undefined) })
      .int()
      .min(min)
      .max(max),
  );

const OptionName = Line.min(1)
  .max(100)
  .refine((name) => !name.includes("="), "Must not contain =")
  .transform((name) => name.toLowerCase());
const OptionValue = Line.min(1)
  .max(200)
  .transform((value) => value.toLowerCase());

/** Option name to value, case-insensitive: every pair must match a variant's option. */
const Options = z
  .record(OptionName, OptionValue)
  .refine((options) => Object.keys(options).length <= 10, "At most 10 options")
  .openapi({ example: { size: "m" } });

/** What both transports share; only the option filter's spelling differs between them. */
const searchFields = {
  q: Line.min(1)
    .max(200)
    .openapi({ description: "The shopper's words: typos and unfinished words are fine", example: "iphnoe" }),
  // The product list's filters, declared once (catalog storefront-schemas.ts).
  ...productFilterFields,
  sort: z.enum(SORTS).default("relevance").openapi({ description: "`relevance` puts title matches first" }),
  page: Int(1, MAX_PAGE)
    .optional()
    .openapi({ description: `1-based, up to ${MAX_PAGE}: for a UI that shows page numbers (or pass \`cursor\`)` }),
  cursor: PageQuery.shape.cursor,
  limit: PageQuery.shape.limit,
  facets: QueryFlag.default(true).openapi({ description: "Count facets over every match (false: `facets` is null)" }),
};

/** A search as tRPC and the service take it. */
export const SearchProductsInput = z.strictObject({
  ...searchFields,
  options: Options.optional().openapi({ description: 'Option name to value, e.g. `{ size: "m" }`' }),
});
export type SearchProductsInput = z.output<typeof SearchProductsInput>;

const OPTION_PARAM = /^option\.(.+)$/s;

/**
 * The same over REST: options as a family of query parameters, `option.size=m`
 * (api.md), documented by one example. Any other unknown parameter is ignored,
 * as query strings carry cache busters and tracking tags.
 */
export const SearchProductsQuery = z
  .object({
    ...searchFields,
    "option.size": z.string().optional().openapi({
      description:
        "An option filter: any `option.<name>=<value>` works the same (`option.color=red`), case-insensitive",
      example: "m",
    }),
  })
  .catchall(z.unknown())
  .transform((query, ctx): SearchProductsInput => {
    const { q, categoryId, collectionId, tag, minPrice, maxPrice, inStock, sort, page, cursor, limit, facets } = query;
    const pairs = Object.entries(query).flatMap(([key, value]) => {
      const name = OPTION_PARAM.exec(key)?.[1];
      return name === undefined ? [] : [[name, value] as const];
    });
    const options = Options.safeParse(Object.fromEntries(pairs));
    if (!options.success) {
      for (const issue of options.error.issues) {
        const name = issue.path[0];
        ctx.addIssue({
          code: "custom",
          message: issue.message,
          path: name === undefined ? [] : [`option.${String(name)}`],
        });
      }
      return z.NEVER;
    }
    return {
      q,
      sort,
      limit,
      facets,
      ...(categoryId !== undefined && { categoryId }),
      ...(collectionId !== undefined && { collectionId }),
      ...(tag !== undefined && { tag }),
      ...(minPrice !== undefined && { minPrice }),
      ...(maxPrice !== undefined && { maxPrice }),
      ...(inStock !== undefined && { inStock }),
      ...(page !== undefined && { page }),
      ...(cursor !== undefined && { cursor }),
      ...(pairs.length > 0 && { options: options.data }),
    };
  });

const FacetCount = z.object({ value: z.string(), count: z.number().int().min(0) }).openapi("FacetCount");

export const SearchFacets = z
  .object({
    categories: z.array(FacetCount).openapi({
      description: "Category ids; a product counts under its category and each ancestor",
    }),
    priceBuckets: z
      .array(
        z.object({
          min: z.number().int().min(0).openapi({ description: "Inclusive, in minor units" }),
          max: z.number().int().min(0).nullable().openapi({ description: "Inclusive; null for the open top bucket" }),
          currency: Currency,
          count: z.number().int().min(0),
        }),
      )
      .openapi({ description: "On each product's lowest price; every bucket, empty ones too" }),
    inStock: z.object({ inStock: z.number().int().min(0), outOfStock: z.number().int().min(0) }),
    options: z.record(z.string(), z.array(FacetCount)).openapi({
      description: "Option name (lower case) to its values' counts",
      example: { size: [{ value: "m", count: 3 }] },
    }),
    tags: z.array(FacetCount),
    exhaustive: z.boolean().openapi({
      description:
        "True when the counts cover every match; false when they cover only the best matches (on the Postgres engine, the first 1,000 in the requested order)",
    }),
  })
  .openapi("SearchFacets", { description: "Counts over the matches, not only this page, with the filters as given" });
export type SearchFacets = z.infer<typeof SearchFacets>;

export const SearchResult = z
  .object({
    items: z.array(ProductCard).openapi({ description: "Best match first (or in the order `sort` asks)" }),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
    facets: SearchFacets.nullable().openapi({ description: "Null when `facets=false`" }),
  })
  .openapi("SearchResult");
export type SearchResult = z.infer<typeof SearchResult>;
