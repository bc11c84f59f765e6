import { z } from "@hono/zod-openapi";
import { PageQuery, page, QueryFlag } from "../../lib/pagination";
import { Line, Text } from "../../lib/text";
import { CategoryRef, Collection, PriceRange, ProductCard, ProductImage, ProductOption, VariantBase } from "./schemas";

// What shoppers send and get when they browse: the product list and detail, the collections.

export const PRODUCT_SORTS = ["newest", "price_asc", "price_desc", "title"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
/** Sorts api.md promises for later issues: named so that a client asking for one learns why it fails. */
const RESERVED_SORTS = ["popular", "rating"];

export const ProductSortParam = z
  .enum(PRODUCT_SORTS, {
    error: (iss) =>
      RESERVED_SORTS.includes(String(iss.input))
        ? `Sort "${String(iss.input)}" is reserved for a later release`
        : `One of ${PRODUCT_SORTS.join(", ")}`,
  })
  .default("newest")
  .openapi({ description: "`popular` and `rating` are reserved for a later release", example: "price_asc" });

const MAX_MONEY = 2_147_483_647;
// A query string carries text, tRPC a number or a boolean: both are read, nothing looser (no `1e3`, no `yes`).
const DIGITS = /^[0-9]{1,10}$/;
const Price = z
  .preprocess<unknown, z.ZodNumber, number>(
    (v) => (typeof v === "string" && DIGITS.test(v) ? Number(v) : v),
    z
      .number({ error: (iss) => (iss.code === "invalid_type" ? "An integer in minor units" : undefined) })
      .int()
      .min(0)
      .max(MAX_MONEY),
  )
  .optional();

/** An option's name or value as a filter: matched in any case. */
const OptionText = Line.min(1).max(100);
const MAX_OPTION_FILTERS = 10;

/** Keys of `option.<name>` query parameters (REST's spelling of `options`). */
export const OPTION_PARAM_PREFIX = "option.";

// Room for a cursor holding a 2,000-character title in a non-Latin script (3 bytes a character, base64).
const Cursor = Text.max(8192);

/** The list filters but `q` and `options`, for every surface that offers them (the list, search). */
export const productFilterFields = {
  categoryId: z.uuid().optional().openapi({ description: "This category or any of its descendants" }),
  collectionId: z.uuid().optional(),
  tag: Line.min(1).max(100).optional().openapi({ example: "organic" }),
  minPrice: Price.openapi({ description: "Some variant costs at least this (minor units, inclusive)", example: 1000 }),
  maxPrice: Price.openapi({ description: "Some variant costs at most this (minor units, inclusive)", example: 5000 }),
  inStock: QueryFlag.optional().openapi({
    description: "Only products with (true) or without (false) stock",
    example: true,
  }),
};

/** Option filters as tRPC and services take them; REST sends `option.<name>` parameters. */
export const OptionFilters = z
  .record(OptionText, OptionText)
  .refine((o) => Object.keys(o).length <= MAX_OPTION_FILTERS, `At most ${MAX_OPTION_FILTERS} option filters`)
  .openapi({ description: "Option name to value, any case; every pair must match", example: { size: "M" } });

/** Everything a list page depends on besides `options`: one definition for both transports. */
const listFields = {
  limit: PageQuery.shape.limit,
  cursor: Cursor.optional().openapi({
    description: "The `nextCursor` of the previous page, with the same filters and sort",
  }),
  ...productFilterFields,
  q: Line.max(200)
    .optional()
    .openapi({ description: "Each word starts a word of the title or description", example: "linen shi" }),
  sort: ProductSortParam,
};

/** The list's input (tRPC, services): option filters as `options`, e.g. `{ size: "M" }`. */
export const ListProductsInput = z
  .strictObject({
    ...listFields,
    options: OptionFilters.optional(),
  })
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    message: "maxPrice must not be below minPrice",
    path: ["maxPrice"],
  });
export type ListProductsInput = z.output<typeof ListProductsInput>;

/**
 * The REST query: the same fields, with each option filter as its own `option.<name>` parameter
 * (`option.size=M`). OpenAPI cannot declare a family of parameters, so `option.size` stands for it in
 * the document and any other `option.*` key is read the same way; the service folds them into `options`.
 */
export const ListProductsQuery = z
  .object({
    ...listFields,
    "option.size": OptionText.optional().openapi({
      description: "Any `option.<name>` parameter filters on that option's value, in any case (`option.color=red`)",
      example: "M",
    }),
  })
  .catchall(OptionText)
  .superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (!(key in listFields) && !key.startsWith(OPTION_PARAM_PREFIX)) {
        ctx.addIssue({ code: "custom", path: [key], message: `Unknown parameter: ${key}` });
      } else if (key.startsWith(OPTION_PARAM_PREFIX) && key.length === OPTION_PARAM_PREFIX.length) {
        ctx.addIssue({ code: "custom", path: [key], message: "Name the option: option.<name>" });
      }
    }
  });

export const ProductPage = page(ProductCard).openapi("ProductPage");
export type ProductPage = z.infer<typeof ProductPage>;

export const GetProductInput = z.object({
  idOrSlug: Text.min(1)
    .max(120)
    .openapi({ param: { name: "idOrSlug", in: "path" }, example: "linen-shirt" }),
});

/** A variant as a shopper sees it: whether it can be bought, and how many. */
export const StorefrontVariant = VariantBase.extend({
  available: z.number().int().min(0).openapi({ description: "On hand minus reserved" }),
  inStock: z.boolean(),
}).openapi("StorefrontVariant");

export const CollectionRef = Collection.pick({ id: true, slug: true, title: true }).openapi("CollectionRef");

/** A product page: everything but the integrators' `metadata` (the admin shows it). */
export const StorefrontProduct = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    attributes: z.record(z.string(), z.unknown()).openapi({ example: { material: "linen" } }),
    tags: z.array(z.string()),
    // A union, not .nullable(): the generator turns a nullable $ref into an allOf no value satisfies.
    category: z.union([CategoryRef, z.null()]).openapi({ description: "Null when the product has no category" }),
    breadcrumb: z.array(CategoryRef).openapi({ description: "From the root category down to the product's own" }),
    options: z.array(ProductOption),
    variants: z.array(StorefrontVariant),
    images: z.array(ProductImage),
    price: PriceRange,
    inStock: z.boolean(),
    collections: z.array(CollectionRef),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("StorefrontProduct");
export type StorefrontProduct = z.infer<typeof StorefrontProduct>;

export const ListCollectionsInput = PageQuery.extend({
  cursor: Cursor.optional().openapi({
    description: "The `nextCursor` of the previous page; leave out for the first page",
  }),
});
export const CollectionPage = page(Collection).openapi("CollectionPage");
export type CollectionPage = z.infer<typeof CollectionPage>;

export const GetCollectionInput = z.object({
  idOrSlug: Text.min(1)
    .max(120)
    .openapi({ param: { name: "idOrSlug", in: "path" }, example: "summer-sale" }),
});
