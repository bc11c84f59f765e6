import { z } from "@hono/zod-openapi";
import { PRODUCT_STATUSES } from "../../db/schema";
import { Line, Prose, Text } from "../../lib/text";

export const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lowercase letters, digits and single hyphens");

export const Category = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    name: z.string(),
    slug: z.string(),
    description: z.string(),
    position: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Category");
export type Category = z.infer<typeof Category>;

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export const CategoryNode: z.ZodType<CategoryNode> = Category.extend({
  get children() {
    return z.array(CategoryNode);
  },
}).openapi("CategoryNode");

export const CategoryTree = z
  .object({ items: z.array(CategoryNode).openapi({ description: "Root categories, each with its descendants" }) })
  .openapi("CategoryTree");
export type CategoryTree = z.infer<typeof CategoryTree>;

export const CategoryRef = Category.pick({ id: true, name: true, slug: true }).openapi("CategoryRef");

export const CategoryDetail = Category.extend({
  ancestors: z.array(CategoryRef).openapi({ description: "From the root down to the parent: a breadcrumb" }),
  children: z.array(Category),
}).openapi("CategoryDetail");
export type CategoryDetail = z.infer<typeof CategoryDetail>;

export const GetCategoryInput = z.object({
  idOrSlug: Text.min(1)
    .max(120)
    .openapi({ param: { name: "idOrSlug", in: "path" }, example: "shoes" }),
});

export const CreateCategoryInput = z
  .strictObject({
    name: Line.min(1).max(200),
    slug: Slug.optional().openapi({ description: "Defaults to the name, slugified" }),
    description: Prose.max(5000).default(""),
    parentId: z.uuid().nullable().default(null),
    position: z.number().int().min(0).max(1_000_000).default(0),
  })
  .openapi("CreateCategoryInput");

// Products and collections: the shapes every catalog surface shares (storefront,
// admin, search, import), so a card or a variant reads the same everywhere.

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .openapi({ description: "ISO 4217, upper case", example: "USD" });

export const ProductStatus = z.enum(PRODUCT_STATUSES).openapi("ProductStatus", {
  description: "Only `active` products are visible to shoppers",
});

const Money = z.number().int().min(0);

/** What a product costs across its variants, in minor units. */
export const PriceRange = z
  .object({
    min: Money.openapi({ description: "The cheapest variant's price", example: 1999 }),
    max: Money.openapi({ description: "The dearest variant's price", example: 2999 }),
    compareAt: Money.nullable().openapi({ description: "The cheapest variant's compare-at price, if above its price" }),
    currency: Currency,
  })
  .openapi("PriceRange");

export const ProductImage = z
  .object({ id: z.uuid(), url: z.string(), alt: z.string(), position: z.number().int() })
  .openapi("ProductImage");

export const ProductOption = z
  .object({ id: z.uuid(), name: z.string(), position: z.number().int(), values: z.array(z.string()) })
  .openapi("ProductOption");

/** String key-values for integrators (an ERP's own ids, say): at most 50 keys. */
export const Metadata = z
  .record(Line.min(1).max(100), Text.max(1000))
  .refine((m) => Object.keys(m).length <= 50, "At most 50 keys")
  .openapi("Metadata");

/** A variant as every surface shows it; the storefront adds availability, the admin stock and metadata. */
export const VariantBase = z.object({
  id: z.uuid(),
  sku: z.string(),
  title: z.string(),
  price: Money,
  compareAtPrice: Money.nullable(),
  /** Option name to value. */
  options: z.record(z.string(), z.string()).openapi({ example: { Size: "M" } }),
  weightGrams: z.number().int().nullable(),
  position: z.number().int(),
});

/** What a product card needs, so a list page is one call (issue 14): from the product's listing columns. */
export const ProductCard = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    image: z.object({ url: z.string(), alt: z.string() }).nullable(),
    price: PriceRange,
    inStock: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .openapi("ProductCard");
export type ProductCard = z.infer<typeof ProductCard>;

export const Collection = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    position: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Collection");
export type Collection = z.infer<typeof Collection>;

// Field rules shared by admin writes and the import row format: whatever the admin API stores, an
// export writes and an import takes back (README "Bulk import and export").

/** Options per product, as Shopify allows: the CSV format has a name and value column for each. */
export const MAX_OPTIONS = 3;
/** Joins tags in one CSV cell; tags may not contain it, so the join is never ambiguous. */
export const TAG_SEPARATOR = "|";

/** A price in minor units: what an integer column holds. */
export const Price = z.number().int().min(0).max(2_147_483_647);

export const Tag = Line.min(1)
  .max(100)
  .refine((tag) => !tag.includes(TAG_SEPARATOR), `Must not contain "${TAG_SEPARATOR}" (it separates tags in CSV)`);

/** An image's address: http(s), and no whitespace (a CSV cell holds one image per line, URL first). */
export const ImageUrl = Text.max(2000)
  .regex(/^https?:\/\/\S+$/, "An http(s) URL without whitespace")
  .refine((url) => URL.canParse(url), "Not a valid URL")
  .openapi({ example: "https://cdn.example.com/shirt.jpg" });
