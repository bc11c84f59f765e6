import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";
import { users } from "./identity";
import { orders } from "./orders";

export const PROMOTION_KINDS = ["percentage", "fixed", "free_shipping", "buy_x_get_y"] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];
export const promotionKind = pgEnum("promotion_kind", PROMOTION_KINDS);

export const PROMOTION_TARGETS = ["order", "items"] as const;
export type PromotionTargetKind = (typeof PROMOTION_TARGETS)[number];
export const promotionTarget = pgEnum("promotion_target", PROMOTION_TARGETS);

const ids = (name: string) => uuid(name).array().notNull().default(sql`'{}'::uuid[]`);
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * Coupon codes and automatic promotions (domain.md "Promotions"). The kind's fields
 * are checked here as well as in the schemas, so no row pricing reads is half a promotion.
 */
export const promotions = pgTable(
  "promotions",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    description: text("description"),
    // Null: automatic. Stored as the merchant typed it; unique in any case (the index below).
    code: text("code"),
    kind: promotionKind("kind").notNull(),
    percent: integer("percent"),
    amount: integer("amount"),
    buyQuantity: integer("buy_quantity"),
    getQuantity: integer("get_quantity"),
    maxApplications: integer("max_applications"),
    target: promotionTarget("target").notNull().default("order"),
    productIds: ids("product_ids"),
    variantIds: ids("variant_ids"),
    categoryIds: ids("category_ids"),
    collectionIds: ids("collection_ids"),
    startsAt: timestamptz("starts_at"),
    endsAt: timestamptz("ends_at"),
    minSubtotal: integer("min_subtotal"),
    firstOrderOnly: boolean("first_order_only").notNull().default(false),
    customersOnly: boolean("customers_only").notNull().default(false),
    customerIds: ids("customer_ids"),
    usageLimit: integer("usage_limit"),
    usageLimitPerCustomer: integer("usage_limit_per_customer"),
    // Redemptions at checkout, never applications to a cart.
    usageCount: integer("usage_count").notNull().default(0),
    stackable: boolean("stackable").notNull().default(false),
    priority: integer("priority").notNull().default(0),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("promotions_code_unique").on(sql`lower(${t.code})`),
    index("promotions_created_id_idx").on(t.createdAt.desc(), t.id.desc()),
    check("promotions_code_format", sql`${t.code} ~ '^[A-Za-z0-9_-]{3,40}$'`),
    check(
      "promotions_kind_fields",
      sql`case ${t.kind}
        when 'percentage' then ${t.percent} is not null and ${t.amount} is null and ${t.buyQuantity} is null
          and ${t.getQuantity} is null and ${t.maxApplications} is null
        when 'fixed' then ${t.amount} is not null and ${t.percent} is null and ${t.buyQuantity} is null
          and ${t.getQuantity} is null and ${t.maxApplications} is null
        when 'free_shipping' then ${t.percent} is null and ${t.amount} is null and ${t.buyQuantity} is null
          and ${t.getQuantity} is null and ${t.maxApplications} is null and ${t.target} = 'order'
        when 'buy_x_get_y' then ${t.percent} is not null and ${t.buyQuantity} is not null
          and ${t.getQuantity} is not null and ${t.amount} is null
        else false
      end`,
    ),
    check("promotions_percent_range", sql`${t.percent} between 1 and 100`),
    check("promotions_amount_positive", sql`${t.amount} > 0`),
    check("promotions_buy_quantity_range", sql`${t.buyQuantity} between 1 and 99`),
    check("promotions_get_quantity_range", sql`${t.getQuantity} between 1 and 99`),
    check("promotions_max_applications_positive", sql`${t.maxApplications} > 0`),
    check(
      "promotions_target_ids",
      sql`(${t.target} = 'items') = (cardinality(${t.productIds}) + cardinality(${t.variantIds})
        + cardinality(${t.categoryIds}) + cardinality(${t.collectionIds}) > 0)`,
    ),
    check("promotions_dates_ordered", sql`${t.endsAt} > ${t.startsAt}`),
    check("promotions_min_subtotal_positive", sql`${t.minSubtotal} > 0`),
    check("promotions_usage_limit_positive", sql`${t.usageLimit} > 0`),
    check("promotions_usage_limit_per_customer_positive", sql`${t.usageLimitPerCustomer} > 0`),
    check("promotions_usage_count_nonnegative", sql`${t.usageCount} >= 0`),
  ],
);

/** One use of a promotion by a placed order; usage limits count these. */
export const promotionRedemptions = pgTable(
  "promotion_redemptions",
  {
    id: uuid("id").primaryKey(),
    promotionId: uuid("promotion_id")
      .notNull()
      .references(() => promotions.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    // CASCADE: an order deleted (never in practice: orders are kept) takes its uses with it.
    orderId: uuid("order_id").references(() => orders.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("promotion_redemptions_promotion_user_idx").on(t.promotionId, t.userId),
    // An order uses a promotion once: a retried redemption cannot count twice.
    uniqueIndex("promotion_redemptions_promotion_order_unique").on(t.promotionId, t.orderId),
  ],
);

/** The field each promotions constraint guards (constraints.ts). */
export const promotionsConstraints = [
  constraintFields(promotions, { promotions_code_unique: "code" }),
  constraintFields(promotionRedemptions, {
    promotion_redemptions_promotion_id_promotions_id_fk: "promotionId",
    promotion_redemptions_user_id_users_id_fk: "userId",
    promotion_redemptions_order_id_orders_id_fk: "orderId",
    promotion_redemptions_promotion_order_unique: "orderId",
  }),
];
