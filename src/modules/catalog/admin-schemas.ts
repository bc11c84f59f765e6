import { z } from "@hono/zod-openapi";
import { IdParam } from "../../lib/id-param";
import { PageQuery, page } from "../../lib/pagination";
import { Line, Prose, Text } from "../../lib/text";
import {
  CategoryRef,
  Collection,
  ImageUrl,
  MAX_OPTIONS,
  Metadata,
  Price,
  PriceRange,
  ProductImage,
  ProductOption,
  ProductStatus,
  Slug,
  Tag,
  VariantBase,
} from "./schemas";

// Shapes only staff see and send: the admin side of products, variants, options, images and collections.

/** Options per product (Shopify's limit was three for years; five leaves room). */
const Position = z.number().int().min(0).max(1_000_000);
const Quantity = z.number().int().min(0).max(1_000_000_000);

const Tags = z
  .array(Tag)
  .max(50)
  .transform((tags) => [...new Set(tags)])
  .openapi({ description: "Free strings for filtering; duplicates are dropped", example: ["summer"] });

const Attributes = z
  .record(Line.min(1).max(100), z.unknown())
  .refine((a) => Object.keys(a).length <= 50, "At most 50 keys")
  .refine((a) => JSON.stringify(a).length <= 20_000, "At most 20,000 characters of JSON")
  .openapi({ description: "Structured facts (material, care) as JSON values", example: { material: "cotton" } });

/** Option name to value; the product's options decide which keys are needed. */
const VariantOptions = z.record(Line.min(1).max(100), Line.min(1).max(100)).openapi({ example: { Size: "M" } });

export const AdminStock = z
  .object({
    onHand: z.number().int(),
    reserved: z.number().int(),
    available: z.number().int(),
    lowStockThreshold: z.number().int(),
  })
  .openapi("AdminStock");

export const AdminVariant = VariantBase.extend({
  productId: z.uuid(),
  metadata: Metadata,
  stock: AdminStock,
}).openapi("AdminVariant");
export type AdminVariant = z.infer<typeof AdminVariant>;

export const AdminProduct = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    description: z.string(),
    status: ProductStatus,
    // A union, not .nullable(): the document would render a $ref that refuses null.
    category: z.union([CategoryRef, z.null()]),
    tags: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()),
    metadata: Metadata,
    price: PriceRange,
    options: z.array(ProductOption),
    variants: z.array(AdminVariant),
    images: z.array(ProductImage),
    collections: z.array(Collection.pick({ id: true, slug: true, title: true })),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("AdminProduct");
export type AdminProduct = z.infer<typeof AdminProduct>;

export const AdminProductSummary = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    title: z.string(),
    status: ProductStatus,
    variantCount: z.number().int(),
    price: PriceRange,
    stock: AdminStock.pick({ onHand: true, reserved: true, available: true }).openapi({
      description: "Totals over the product's variants",
    }),
    createdAt: z.iso.datetime(),
  })
  .openapi("AdminProductSummary");
export type AdminProductSummary = z.infer<typeof AdminProductSummary>;

export const AdminProductPage = page(AdminProductSummary).openapi("AdminProductPage");
export type AdminProductPage = z.infer<typeof AdminProductPage>;

export const ListAdminProductsInput = PageQuery.extend({
  status: ProductStatus.optional(),
  q: Text.trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "A SKU (exact) or part of the title (any case)", example: "shirt" }),
});

export const ProductIdInput = IdParam;

const OptionInput = z.strictObject({
  name: Line.min(1).max(100),
  values: z.array(Line.min(1).max(100)).min(1).max(100),
});

const VariantFields = {
  sku: Line.min(1).max(100),
  price: Price,
  compareAtPrice: Price.nullable().default(null),
  weightGrams: z.number().int().min(0).max(10_000_000).nullable().default(null),
  options: VariantOptions.default({}),
  metadata: Metadata.default({}),
};

const Stock = {
  onHand: Quantity.default(0).openapi({ description: "Opening stock, written to the ledger" }),
  lowStockThreshold: Quantity.default(0),
};

export const NewVariant = z.strictObject({ ...VariantFields, ...Stock }).openapi("NewVariant");
export type NewVariant = z.output<typeof NewVariant>;

const ImageInput = z.strictObject({ url: ImageUrl, alt: Line.max(500).default("") });

export const CreateProductInput = z
  .strictObject({
    title: Line.min(1).max(300),
    slug: Slug.optional().openapi({ description: "Defaults to the title, slugified" }),
    description: Prose.max(20_000).default(""),
    status: ProductStatus.default("draft"),
    categoryId: z.uuid().nullable().default(null),
    tags: Tags.default([]),
    attributes: Attributes.default({}),
    metadata: Metadata.default({}),
    options: z.array(OptionInput).max(MAX_OPTIONS).default([]),
    variants: z.array(NewVariant).min(1).max(250),
    images: z.array(ImageInput).max(50).default([]),
    collectionIds: z.array(z.uuid()).max(100).default([]),
  })
  .openapi("CreateProductInput");
export type CreateProductInput = z.output<typeof CreateProductInput>;

const ProductChange = z.strictObject({
  title: Line.min(1).max(300).optional(),
  slug: Slug.optional(),
  description: Prose.max(20_000).optional(),
  status: ProductStatus.optional().openapi({ description: "`archived` hides the product and keeps its history" }),
  categoryId: z.uuid().nullable().optional(),
  tags: Tags.optional(),
  attributes: Attributes.optional().openapi({ description: "Replaces the attributes as a whole" }),
  metadata: Metadata.optional().openapi({ description: "Replaces the metadata as a whole (send every key to keep)" }),
});
const changesSomething = [
  (c: object) => Object.values(c).some((v) => v !== undefined),
  { message: "Give at least one field to change" },
] as const;

export const UpdateProductBody = ProductChange.refine(...changesSomething).openapi("UpdateProductInput");
export const UpdateProductInput = ProductChange.extend(IdParam.shape).refine(...changesSomething);

export const CreateVariantInput = NewVariant.extend(IdParam.shape);

const VariantChange = z.strictObject({
  sku: VariantFields.sku.optional(),
  price: Price.optional(),
  compareAtPrice: Price.nullable().optional(),
  weightGrams: z.number().int().min(0).max(10_000_000).nullable().optional(),
  options: VariantOptions.optional().openapi({ description: "One value for each of the product's options" }),
  position: Position.optional(),
  metadata: Metadata.optional().openapi({ description: "Replaces the metadata as a whole" }),
});
export const UpdateVariantBody = VariantChange.refine(...changesSomething).openapi("UpdateVariantInput");
export const UpdateVariantInput = VariantChange.extend(IdParam.shape).refine(...changesSomething);

const NewOption = OptionInput.extend({
  defaultValue: Line.min(1).max(100).optional().openapi({
    description: "The value existing variants take; required, as every product has variants",
  }),
}).openapi("NewOption");
export const AddOptionBody = NewOption;
export const AddOptionInput = NewOption.extend(IdParam.shape);

const OptionChange = z.strictObject({
  name: Line.min(1).max(100).optional().openapi({ description: "Renames the option in every variant too" }),
  values: z
    .array(Line.min(1).max(100))
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: "The whole ordered list; a value a variant uses cannot be left out (409)" }),
  renameValues: z
    .record(Line.min(1).max(100), Line.min(1).max(100))
    .refine((r) => Object.keys(r).length <= 100, "At most 100 renames")
    .optional()
    .openapi({
      description: "Old value to new, in the option and every variant (before `values` applies)",
      example: { M: "Medium" },
    }),
  position: Position.optional(),
});
export const UpdateOptionBody = OptionChange.refine(...changesSomething).openapi("UpdateOptionInput");
export const UpdateOptionInput = OptionChange.extend(IdParam.shape).refine(...changesSomething);

export const AddImageBody = ImageInput.openapi("NewProductImage");
export const AddImageInput = ImageInput.extend(IdParam.shape);

const ImageOrder = z.strictObject({
  imageIds: z.array(z.uuid()).max(50).openapi({ description: "Every image id of the product, in the new order" }),
});
export const ReorderImagesBody = ImageOrder.openapi("ReorderImagesInput");
export const ReorderImagesInput = ImageOrder.extend(IdParam.shape);
export const ProductImages = z.object({ items: z.array(ProductImage) }).openapi("ProductImages");
export type ProductImages = z.infer<typeof ProductImages>;

export const CollectionPage = page(Collection).openapi("CollectionPage");
export type CollectionPage = z.infer<typeof CollectionPage>;
export const ListCollectionsInput = PageQuery;

export const CreateCollectionInput = z
  .strictObject({
    title: Line.min(1).max(300),
    slug: Slug.optional().openapi({ description: "Defaults to the title, slugified" }),
    description: Prose.max(20_000).default(""),
    position: Position.default(0),
  })
  .openapi("CreateCollectionInput");

const CollectionChange = z.strictObject({
  title: Line.min(1).max(300).optional(),
  slug: Slug.optional(),
  description: Prose.max(20_000).optional(),
  position: Position.optional(),
});
export const UpdateCollectionBody = CollectionChange.refine(...changesSomething).openapi("UpdateCollectionInput");
export const UpdateCollectionInput = CollectionChange.extend(IdParam.shape).refine(...changesSomething);

const Membership = z.strictObject({
  productIds: z
    .array(z.uuid())
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, "Each product once")
    .openapi({ description: "Every product of the collection, in display order: replaces the membership" }),
});
export const SetCollectionProductsBody = Membership.openapi("SetCollectionProductsInput");
export const SetCollectionProductsInput = Membership.extend(IdParam.shape);
export const CollectionProducts = z
  .object({ collectionId: z.uuid(), productIds: z.array(z.uuid()) })
  .openapi("CollectionProducts");
export type CollectionProducts = z.infer<typeof CollectionProducts>;

export const UpdateCategoryChange = z.strictObject({
  name: Line.min(1).max(200).optional(),
  slug: Slug.optional(),
  description: Prose.max(5000).optional(),
  parentId: z.uuid().nullable().optional().openapi({ description: "Moves the category (null: to the root)" }),
  position: Position.optional(),
});
export const UpdateCategoryBody = UpdateCategoryChange.refine(...changesSomething).openapi("UpdateCategoryInput");
export const UpdateCategoryInput = UpdateCategoryChange.extend(IdParam.shape).refine(...changesSomething);
