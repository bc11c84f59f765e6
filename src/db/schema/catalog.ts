import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
/** String key-values for integrators (domain.md "Catalog"). */
const metadata = () => jsonb("metadata").$type<Record<string, string>>().notNull().default({});

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const categories = pgTable(
  "categories",
  {
    id: uuid("id").primaryKey(),
    // RESTRICT: deleting a parent must be an explicit decision about its children.
    parentId: uuid("parent_id").references((): AnyPgColumn => categories.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("categories_parent_position_idx").on(t.parentId, t.position, t.name),
    check("categories_not_own_parent", sql`${t.parentId} <> ${t.id}`),
  ],
);

export const PRODUCT_STATUSES = ["draft", "active", "archived"] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/**
 * A product. The columns after `updatedAt` are its listing: what list pages
 * filter and sort on, derived from its variants, stock, images, categories and
 * collections, and rewritten in the same transaction as every write that
 * changes them (catalog/listing.ts), so one indexed statement answers a page.
 */
export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status").$type<ProductStatus>().notNull().default("draft"),
    categoryId: uuid("category_id").references(() => categories.id, { onDelete: "restrict" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // The listing.
    minPrice: integer("min_price").notNull().default(0),
    maxPrice: integer("max_price").notNull().default(0),
    /** The compare-at price of the cheapest variant, when it has one above its price. */
    compareAtPrice: integer("compare_at_price"),
    inStock: boolean("in_stock").notNull().default(false),
    /** `name=value`, lower case, of every variant's options: `size=m`. */
    optionValues: text("option_values").array().notNull().default(sql`'{}'::text[]`),
    /** The product's category and its ancestors: a filter by any of them matches. */
    categoryPath: uuid("category_path").array().notNull().default(sql`'{}'::uuid[]`),
    collectionIds: uuid("collection_ids").array().notNull().default(sql`'{}'::uuid[]`),
    imageUrl: text("image_url"),
    imageAlt: text("image_alt"),
    variantCount: integer("variant_count").notNull().default(0),
    /** Title over description, for the Postgres search adapter. */
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', description), 'B')`,
      ),
  },
  (t) => [
    check("products_status_known", sql`${t.status} in ('draft', 'active', 'archived')`),
    check("products_prices_not_negative", sql`${t.minPrice} >= 0 and ${t.maxPrice} >= ${t.minPrice}`),
    check("products_metadata_object", sql`jsonb_typeof(${t.metadata}) = 'object'`),
    check("products_attributes_object", sql`jsonb_typeof(${t.attributes}) = 'object'`),
    // The admin list (every status) and its status filter, newest first.
    index("products_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("products_status_created_idx").on(t.status, t.createdAt.desc(), t.id.desc()),
    index("products_category_idx").on(t.categoryId),
    // The shopper's sorts, over visible products only.
    index("products_active_newest_idx").on(t.createdAt.desc(), t.id.desc()).where(sql`status = 'active'`),
    index("products_active_price_idx").on(t.minPrice, t.id).where(sql`status = 'active'`),
    // A `minPrice` bound is `max_price >= bound`: without it, a list sorted by title or date read every
    // product to find the few dear ones (0.65 s against 21 ms at 250,000 products).
    index("products_active_max_price_idx").on(t.maxPrice).where(sql`status = 'active'`),
    index("products_active_title_idx").on(t.title, t.id).where(sql`status = 'active'`),
    // The shopper's filters.
    index("products_tags_idx").using("gin", t.tags),
    index("products_option_values_idx").using("gin", t.optionValues),
    index("products_category_path_idx").using("gin", t.categoryPath),
    index("products_collection_ids_idx").using("gin", t.collectionIds),
    index("products_search_vector_idx").using("gin", t.searchVector),
    index("products_title_trgm_idx").using("gin", sql`lower(${t.title}) gin_trgm_ops`),
  ],
);

/** An option of a product (Size) and the values its variants may take (S, M, L), in order. */
export const productOptions = pgTable(
  "product_options",
  {
    id: uuid("id").primaryKey(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    values: text("values").array().notNull(),
  },
  (t) => [uniqueIndex("product_options_product_name_unique").on(t.productId, sql`lower(${t.name})`)],
);

export const variants = pgTable(
  "variants",
  {
    id: uuid("id").primaryKey(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    sku: text("sku").notNull().unique(),
    /** Its option values joined ("M / Red"), or the product's title when it has no options. */
    title: text("title").notNull(),
    price: integer("price").notNull(),
    compareAtPrice: integer("compare_at_price"),
    weightGrams: integer("weight_grams"),
    /**
     * Option name to value: `{ "Size": "M" }`, one value for each of the product's options.
     * Unique per product (jsonb equality ignores key order): two variants cannot share a combination.
     */
    options: jsonb("options").$type<Record<string, string>>().notNull().default({}),
    position: integer("position").notNull().default(0),
    metadata: metadata(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("variants_price_not_negative", sql`${t.price} >= 0`),
    check("variants_compare_at_not_negative", sql`${t.compareAtPrice} >= 0`),
    check("variants_weight_not_negative", sql`${t.weightGrams} >= 0`),
    check("variants_metadata_object", sql`jsonb_typeof(${t.metadata}) = 'object'`),
    uniqueIndex("variants_product_options_unique").on(t.productId, t.options),
    index("variants_product_position_idx").on(t.productId, t.position, t.id),
    index("variants_product_price_idx").on(t.productId, t.price),
  ],
);

export const productImages = pgTable(
  "product_images",
  {
    id: uuid("id").primaryKey(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    alt: text("alt").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("product_images_product_position_idx").on(t.productId, t.position, t.id)],
);

/** Merchandising groups ("Summer sale"), ordered, many-to-many with products. */
export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("collections_position_idx").on(t.position, t.title, t.id),
    // The admin list, newest first.
    index("collections_created_idx").on(t.createdAt.desc(), t.id.desc()),
  ],
);

export const collectionProducts = pgTable(
  "collection_products",
  {
    collectionId: uuid("collection_id")
      .notNull()
      .references(() => collections.id, { onDelete: "cascade" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.collectionId, t.productId] }),
    index("collection_products_product_idx").on(t.productId),
    index("collection_products_position_idx").on(t.collectionId, t.position, t.productId),
  ],
);

/** Stock of one variant (domain.md "Inventory"): available = onHand - reserved, never negative. */
export const inventoryLevels = pgTable(
  "inventory_levels",
  {
    variantId: uuid("variant_id")
      .primaryKey()
      .references(() => variants.id, { onDelete: "cascade" }),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    /** Falling to this many available (or fewer) sends one low-stock alert. */
    lowStockThreshold: integer("low_stock_threshold").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("inventory_levels_reserved_within_on_hand", sql`${t.reserved} >= 0 and ${t.reserved} <= ${t.onHand}`),
    check("inventory_levels_threshold_not_negative", sql`${t.lowStockThreshold} >= 0`),
    index("inventory_levels_available_idx").on(sql`(${t.onHand} - ${t.reserved})`, t.variantId),
    // The admin's `lowStock=true`: few rows, which a scan of every level would look for.
    index("inventory_levels_low_stock_idx")
      .on(t.variantId)
      .where(sql`low_stock_threshold > 0 and (on_hand - reserved) <= low_stock_threshold`),
  ],
);

export const INVENTORY_CHANGE_KINDS = [
  "initial",
  "adjust",
  "set",
  "import",
  "reserve",
  "release",
  "commit",
  "restock",
] as const;
export type InventoryChangeKind = (typeof INVENTORY_CHANGE_KINDS)[number];

/** Every stock change, with who made it and why: a level always equals the sum of its ledger. */
export const inventoryLedger = pgTable(
  "inventory_ledger",
  {
    id: uuid("id").primaryKey(),
    variantId: uuid("variant_id")
      .notNull()
      .references(() => variants.id, { onDelete: "cascade" }),
    kind: text("kind").$type<InventoryChangeKind>().notNull(),
    onHandDelta: integer("on_hand_delta").notNull().default(0),
    reservedDelta: integer("reserved_delta").notNull().default(0),
    onHandAfter: integer("on_hand_after").notNull(),
    reservedAfter: integer("reserved_after").notNull(),
    reason: text("reason").notNull().default(""),
    /** `user:<id>`, `api-key:<id>` or `system`. */
    actor: text("actor").notNull(),
    orderId: uuid("order_id"),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "inventory_ledger_kind_known",
      sql`${t.kind} in ('initial', 'adjust', 'set', 'import', 'reserve', 'release', 'commit', 'restock')`,
    ),
    index("inventory_ledger_variant_idx").on(t.variantId, t.createdAt.desc(), t.id.desc()),
  ],
);

/**
 * Products changed since the search index last caught up: a write adds its
 * products here in its own transaction, and the index job drains it in batches,
 * so a bulk import queues one job, not one per row. No foreign key: a deleted
 * product must still leave the index.
 */
export const productChanges = pgTable("product_changes", {
  productId: uuid("product_id").primaryKey(),
  changedAt: timestamp("changed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** The field each catalog constraint guards (constraints.ts). */
export const catalogConstraints = [
  constraintFields(categories, { categories_slug_unique: "slug", categories_parent_id_categories_id_fk: "parentId" }),
  constraintFields(products, { products_slug_unique: "slug", products_category_id_categories_id_fk: "categoryId" }),
  constraintFields(productOptions, {
    product_options_product_id_products_id_fk: "productId",
    product_options_product_name_unique: "name",
  }),
  constraintFields(variants, {
    variants_sku_unique: "sku",
    variants_product_id_products_id_fk: "productId",
    variants_product_options_unique: "options",
  }),
  constraintFields(productImages, { product_images_product_id_products_id_fk: "productId" }),
  constraintFields(collections, { collections_slug_unique: "slug" }),
  constraintFields(collectionProducts, {
    collection_products_collection_id_collections_id_fk: "collectionId",
    collection_products_product_id_products_id_fk: "productId",
  }),
  constraintFields(inventoryLevels, { inventory_levels_variant_id_variants_id_fk: "variantId" }),
  constraintFields(inventoryLedger, { inventory_ledger_variant_id_variants_id_fk: "variantId" }),
];
