import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { carts } from "./carts";
import { products, variants } from "./catalog";
import { constraintFields } from "./constraint-fields";
import { users } from "./identity";

export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "fulfilled",
  "delivered",
  "cancelled",
  "partially_refunded",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_PROVIDERS = ["manual", "stripe"] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export const PAYMENT_STATUSES = ["pending", "succeeded", "failed", "canceled"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ["pending", "succeeded", "failed"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const money = (name: string) => integer(name).notNull().default(0);
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

/** Order numbers (`CW-100001`): sequential and unique; a rolled-back checkout leaves a gap, never a duplicate. */
export const orderNumbers = pgSequence("order_numbers", { startWith: 100001 });

/** An address as the order was placed with it: later edits to the address book never change it. */
export interface OrderAddressSnapshot {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
  phone: string | null;
}

/** The shipping method as chosen at checkout. */
export interface OrderShippingSnapshot {
  methodId: string;
  name: string;
  amount: number;
  discount: number;
  total: number;
  tax: number;
}

/** A promotion as it applied to the order. */
export interface OrderPromotionSnapshot {
  promotionId: string;
  code: string | null;
  name: string;
  amount: number;
}

/**
 * A placed order (domain.md "Orders"): a snapshot of what was bought, for how
 * much and where to, that no later catalog or address edit changes. `paid` and
 * `refunded` are what the provider confirmed, so `refunded <= paid` is a
 * constraint, and a second success for one order cannot add to `paid`.
 */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey(),
    number: bigint("number", { mode: "number" }).notNull().unique().default(sql`nextval('order_numbers')`),
    status: text("status").$type<OrderStatus>().notNull().default("pending_payment"),
    // SET NULL: an erased customer's orders stay, for the books, under the email they used.
    customerId: uuid("customer_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    /** A guest's order token, hashed (the confirmation shows it once); null for a customer's order. */
    tokenHash: text("token_hash").unique(),
    // Unique: a cart becomes at most one order, whatever retries and races.
    cartId: uuid("cart_id")
      .unique()
      .references(() => carts.id, { onDelete: "set null" }),
    currency: text("currency").notNull(),
    subtotal: money("subtotal"),
    discountTotal: money("discount_total"),
    shippingTotal: money("shipping_total"),
    taxTotal: money("tax_total"),
    total: money("total"),
    taxInclusive: boolean("tax_inclusive").notNull().default(false),
    paidAmount: money("paid_amount"),
    refundedAmount: money("refunded_amount"),
    shippingAddress: jsonb("shipping_address").$type<OrderAddressSnapshot>().notNull(),
    billingAddress: jsonb("billing_address").$type<OrderAddressSnapshot>().notNull(),
    shipping: jsonb("shipping").$type<OrderShippingSnapshot | null>(),
    promotions: jsonb("promotions").$type<OrderPromotionSnapshot[]>().notNull().default([]),
    paymentProvider: text("payment_provider").$type<PaymentProviderName>().notNull(),
    /** When an unpaid order lapses (ORDER_PAYMENT_TIMEOUT_MINUTES after placing); null once paid or closed. */
    expiresAt: timestamptz("expires_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    paidAt: timestamptz("paid_at"),
    cancelledAt: timestamptz("cancelled_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("orders_status_known", sql`${t.status} in (${inList(ORDER_STATUSES)})`),
    check("orders_provider_known", sql`${t.paymentProvider} in (${inList(PAYMENT_PROVIDERS)})`),
    check(
      "orders_amounts_not_negative",
      sql`${t.subtotal} >= 0 and ${t.discountTotal} >= 0 and ${t.shippingTotal} >= 0 and ${t.taxTotal} >= 0 and ${t.total} >= 0`,
    ),
    check("orders_paid_at_most_total", sql`${t.paidAmount} >= 0 and ${t.paidAmount} <= ${t.total}`),
    check("orders_refunded_at_most_paid", sql`${t.refundedAmount} >= 0 and ${t.refundedAmount} <= ${t.paidAmount}`),
    index("orders_customer_idx").on(t.customerId, t.createdAt.desc(), t.id.desc()),
    index("orders_created_idx").on(t.createdAt.desc(), t.id.desc()),
    index("orders_status_created_idx").on(t.status, t.createdAt.desc(), t.id.desc()),
    index("orders_email_idx").on(sql`lower(${t.email})`, t.createdAt.desc()),
    // The expiry job's scan: only unpaid orders carry an expiry.
    index("orders_expiry_idx").on(t.expiresAt).where(sql`status = 'pending_payment'`),
  ],
);

/**
 * One bought variant, snapshotted. The variant and product keep their foreign
 * keys with RESTRICT: deleting one that an order references is a 409 (archive it instead).
 */
export const orderLines = pgTable(
  "order_lines",
  {
    id: uuid("id").primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    variantId: uuid("variant_id")
      .notNull()
      .references(() => variants.id, { onDelete: "restrict" }),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id, { onDelete: "restrict" }),
    title: text("title").notNull(),
    variantTitle: text("variant_title").notNull(),
    sku: text("sku").notNull(),
    options: jsonb("options").$type<Record<string, string>>().notNull().default({}),
    imageUrl: text("image_url"),
    unitPrice: integer("unit_price").notNull(),
    quantity: integer("quantity").notNull(),
    subtotal: integer("subtotal").notNull(),
    discount: integer("discount").notNull(),
    tax: integer("tax").notNull(),
    total: integer("total").notNull(),
    fulfilledQuantity: integer("fulfilled_quantity").notNull().default(0),
    refundedQuantity: integer("refunded_quantity").notNull().default(0),
  },
  (t) => [
    check("order_lines_quantity_positive", sql`${t.quantity} >= 1`),
    check(
      "order_lines_amounts_not_negative",
      sql`${t.unitPrice} >= 0 and ${t.subtotal} >= 0 and ${t.discount} >= 0 and ${t.tax} >= 0 and ${t.total} >= 0`,
    ),
    check("order_lines_fulfilled_range", sql`${t.fulfilledQuantity} between 0 and ${t.quantity}`),
    check("order_lines_refunded_range", sql`${t.refundedQuantity} between 0 and ${t.quantity}`),
    uniqueIndex("order_lines_order_position_unique").on(t.orderId, t.position),
    index("order_lines_variant_idx").on(t.variantId),
    index("order_lines_product_idx").on(t.productId),
  ],
);

/** Every transition and notable change of an order: who, when, why (domain.md "Orders"). */
export const orderEvents = pgTable(
  "order_events",
  {
    id: uuid("id").primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    /** `placed`, `status_changed`, `payment_failed`, `fulfillment_added`, `refund_recorded`, ... */
    kind: text("kind").notNull(),
    fromStatus: text("from_status").$type<OrderStatus>(),
    toStatus: text("to_status").$type<OrderStatus>(),
    /** Who: `user:<id>`, `key:<id>`, `system:<job>` (lib/context.ts actorKey), or `guest`. */
    actor: text("actor").notNull(),
    reason: text("reason").notNull().default(""),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    // The time of the event, not of its transaction's start: one transaction's events read in the order they happened.
    createdAt: timestamptz("created_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.createdAt, t.id)],
);

/** A parcel sent: some or all of an order's units, with its carrier and tracking number. */
export const fulfillments = pgTable(
  "fulfillments",
  {
    id: uuid("id").primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    trackingUrl: text("tracking_url"),
    actor: text("actor").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("fulfillments_order_idx").on(t.orderId, t.createdAt)],
);

export const fulfillmentLines = pgTable(
  "fulfillment_lines",
  {
    fulfillmentId: uuid("fulfillment_id")
      .notNull()
      .references(() => fulfillments.id, { onDelete: "cascade" }),
    orderLineId: uuid("order_line_id")
      .notNull()
      .references(() => orderLines.id, { onDelete: "cascade" }),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.fulfillmentId, t.orderLineId] }),
    check("fulfillment_lines_quantity_positive", sql`${t.quantity} >= 1`),
  ],
);

/**
 * An order's payment with its provider: one per order (the unique order id), so a
 * retried checkout or payment request finds it instead of charging again.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .unique()
      .references(() => orders.id, { onDelete: "cascade" }),
    provider: text("provider").$type<PaymentProviderName>().notNull(),
    /** The provider's id (a Stripe PaymentIntent `pi_...`); null for manual payments and before the call succeeded. */
    providerRef: text("provider_ref").unique(),
    status: text("status").$type<PaymentStatus>().notNull().default("pending"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** Why the last attempt failed, in the provider's words (never a card number). */
    failureMessage: text("failure_message"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("payments_provider_known", sql`${t.provider} in (${inList(PAYMENT_PROVIDERS)})`),
    check("payments_status_known", sql`${t.status} in (${inList(PAYMENT_STATUSES)})`),
    check("payments_amount_not_negative", sql`${t.amount} >= 0`),
  ],
);

/** Money given back through the provider, full or partial; `lines` says which units, when by line. */
export const refunds = pgTable(
  "refunds",
  {
    id: uuid("id").primaryKey(),
    orderId: uuid("order_id")
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    amount: integer("amount").notNull(),
    status: text("status").$type<RefundStatus>().notNull().default("pending"),
    /** The provider's id (`re_...`); null for manual refunds. */
    providerRef: text("provider_ref").unique(),
    reason: text("reason").notNull().default(""),
    lines: jsonb("lines").$type<{ orderLineId: string; quantity: number }[]>().notNull().default([]),
    restock: boolean("restock").notNull().default(false),
    actor: text("actor").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("refunds_amount_positive", sql`${t.amount} >= 1`),
    check("refunds_status_known", sql`${t.status} in (${inList(REFUND_STATUSES)})`),
    index("refunds_order_idx").on(t.orderId, t.createdAt),
  ],
);

/** Each provider event once, by its id: a redelivered webhook finds its row and changes nothing. */
export const webhookEvents = pgTable("webhook_events", {
  id: text("id").primaryKey(),
  provider: text("provider").$type<PaymentProviderName>().notNull(),
  type: text("type").notNull(),
  receivedAt: timestamptz("received_at").notNull().defaultNow(),
});

/** Emails sent, by a key naming their event (`order:<id>:confirmation`): a retried job sends none twice. */
export const emailSends = pgTable("email_sends", {
  key: text("key").primaryKey(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  messageId: text("message_id"),
  sentAt: timestamptz("sent_at").notNull().defaultNow(),
});

/** The field each orders constraint guards (constraints.ts). */
export const ordersConstraints = [
  constraintFields(orders, {
    orders_number_unique: "number",
    orders_token_hash_unique: "tokenHash",
    orders_cart_id_unique: "cartId",
    orders_customer_id_users_id_fk: "customerId",
    orders_cart_id_carts_id_fk: "cartId",
  }),
  constraintFields(orderLines, {
    order_lines_order_id_orders_id_fk: "orderId",
    order_lines_variant_id_variants_id_fk: "variantId",
    order_lines_product_id_products_id_fk: "productId",
    order_lines_order_position_unique: "position",
  }),
  constraintFields(orderEvents, { order_events_order_id_orders_id_fk: "orderId" }),
  constraintFields(fulfillments, { fulfillments_order_id_orders_id_fk: "orderId" }),
  constraintFields(fulfillmentLines, {
    fulfillment_lines_fulfillment_id_fulfillments_id_fk: "fulfillmentId",
    fulfillment_lines_order_line_id_order_lines_id_fk: "orderLineId",
  }),
  constraintFields(payments, {
    payments_order_id_unique: "orderId",
    payments_provider_ref_unique: "providerRef",
    payments_order_id_orders_id_fk: "orderId",
  }),
  constraintFields(refunds, { refunds_provider_ref_unique: "providerRef", refunds_order_id_orders_id_fk: "orderId" }),
];
