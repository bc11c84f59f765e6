import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { products, variants } from "./catalog";
import { constraintFields } from "./constraint-fields";
import { users } from "./identity";
import { shippingMethods } from "./shipping";

export const CART_STATUSES = ["active", "merged", "converted"] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
};

/**
 * A shopper's cart (module cart): a customer's (one active each) or a guest's,
 * held by the SHA-256 of its secret token. Prices are never stored here but the
 * one seen when each line was added: a read prices the lines afresh. A guest cart
 * lapses 30 days after its last change (`updatedAt`), a customer's never. No column of
 * a cart's write path (`updatedAt`) is indexed, so every write is a HOT update: an
 * indexed expiry rewritten on each add left 20 dead index entries per live cart.
 */
export const carts = pgTable(
  "carts",
  {
    id: uuid("id").primaryKey(),
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "cascade" }),
    /** A guest cart's token hash; null once it belongs to a customer. */
    tokenHash: text("token_hash").unique(),
    status: text("status").$type<CartStatus>().notNull().default("active"),
    currency: text("currency").notNull(),
    /** The coupon code the shopper applied, as the promotion spells it. */
    couponCode: text("coupon_code"),
    /** Where it ships, for shipping methods and tax (the full address comes at checkout). */
    country: text("country"),
    region: text("region"),
    postalCode: text("postal_code"),
    // SET NULL: a deleted method leaves the cart to choose again (a read says so).
    shippingMethodId: uuid("shipping_method_id").references(() => shippingMethods.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    check("carts_status_known", sql`${t.status} in ('active', 'merged', 'converted')`),
    // An active cart is held by someone; a merged one is held by nobody (its token is forgotten).
    check("carts_has_owner", sql`${t.status} <> 'active' or ${t.customerId} is not null or ${t.tokenHash} is not null`),
    check("carts_country_alpha2", sql`${t.country} ~ '^[A-Z]{2}$'`),
    uniqueIndex("carts_one_active_per_customer").on(t.customerId).where(sql`status = 'active'`),
  ],
);

/** One variant in a cart. The title and SKU are kept so a line whose variant was deleted still reads. */
export const cartLines = pgTable(
  "cart_lines",
  {
    id: uuid("id").primaryKey(),
    cartId: uuid("cart_id")
      .notNull()
      .references(() => carts.id, { onDelete: "cascade" }),
    // SET NULL: a deleted variant leaves a line flagged `deleted`, never a line silently gone.
    variantId: uuid("variant_id").references(() => variants.id, { onDelete: "set null" }),
    productId: uuid("product_id").references(() => products.id, { onDelete: "set null" }),
    quantity: integer("quantity").notNull(),
    /** The unit price when the line was added (or its quantity last changed): a read says when today's differs. */
    addedUnitPrice: integer("added_unit_price").notNull(),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull(),
    sku: text("sku").notNull(),
    ...timestamps,
  },
  (t) => [
    check("cart_lines_quantity_range", sql`${t.quantity} between 1 and 99`),
    check("cart_lines_price_not_negative", sql`${t.addedUnitPrice} >= 0`),
    uniqueIndex("cart_lines_cart_variant_unique").on(t.cartId, t.variantId),
    index("cart_lines_cart_created_idx").on(t.cartId, t.createdAt, t.id),
    index("cart_lines_variant_idx").on(t.variantId),
    index("cart_lines_product_idx").on(t.productId),
  ],
);

/** The field each cart constraint guards (constraints.ts). */
export const cartsConstraints = [
  constraintFields(carts, {
    carts_customer_id_users_id_fk: "customerId",
    carts_token_hash_unique: "tokenHash",
    carts_one_active_per_customer: "customerId",
    carts_shipping_method_id_shipping_methods_id_fk: "shippingMethodId",
  }),
  constraintFields(cartLines, {
    cart_lines_cart_id_carts_id_fk: "cartId",
    cart_lines_variant_id_variants_id_fk: "variantId",
    cart_lines_product_id_products_id_fk: "productId",
    cart_lines_cart_variant_unique: "variantId",
  }),
];
