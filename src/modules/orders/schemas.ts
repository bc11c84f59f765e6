import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, PAYMENT_PROVIDERS, PAYMENT_STATUSES, REFUND_STATUSES } from "../../db/schema";
import { PageQuery, page } from "../../lib/pagination";
import { Address } from "../addresses/schemas";
import { Currency } from "../catalog/schemas";

/** The document's tag of every admin order route, whichever module declares it. */
export const ADMIN_ORDERS_TAG = "Admin: orders";

const Money = z.number().int().min(0);
const Timestamp = z.iso.datetime();

export const OrderStatus = z.enum(ORDER_STATUSES).openapi("OrderStatus", {
  description:
    "pending_payment -> paid -> fulfilled -> delivered; pending_payment -> cancelled (customer, admin or expiry); paid -> cancelled (refunded); paid, fulfilled, delivered -> partially_refunded | refunded",
});

/** `CW-100042`: what a shopper quotes; the id is what the API takes. */
export const OrderNumber = z
  .string()
  .regex(/^CW-\d+$/)
  .openapi({ example: "CW-100042" });

/** An address as the order keeps it: a saved address's fields at the time of the order. */
export const OrderAddress = Address.pick({
  name: true,
  line1: true,
  line2: true,
  city: true,
  region: true,
  postalCode: true,
  country: true,
  phone: true,
}).openapi("OrderAddress");

export const OrderItem = z
  .object({
    id: z.uuid(),
    variantId: z.uuid(),
    productId: z.uuid(),
    title: z.string(),
    variantTitle: z.string(),
    sku: z.string(),
    options: z.record(z.string(), z.string()),
    imageUrl: z.string().nullable(),
    unitPrice: Money.openapi({ description: "The price paid per unit, as at checkout" }),
    quantity: z.number().int().min(1),
    subtotal: Money,
    discount: Money,
    tax: Money,
    total: Money,
    fulfilledQuantity: z.number().int().min(0),
    refundedQuantity: z.number().int().min(0),
  })
  .openapi("OrderItem");

export const OrderShipping = z
  .object({ methodId: z.uuid(), name: z.string(), amount: Money, discount: Money, total: Money, tax: Money })
  .openapi("OrderShipping");

export const OrderPromotion = z
  .object({ promotionId: z.uuid(), code: z.string().nullable(), name: z.string(), amount: Money })
  .openapi("OrderPromotion");

export const OrderPayment = z
  .object({
    provider: z.enum(PAYMENT_PROVIDERS),
    status: z.enum(PAYMENT_STATUSES),
    amount: Money,
    currency: Currency,
  })
  .openapi("OrderPayment");

export const OrderFulfillment = z
  .object({
    id: z.uuid(),
    carrier: z.string(),
    trackingNumber: z.string(),
    trackingUrl: z.string().nullable(),
    items: z.array(z.object({ orderItemId: z.uuid(), quantity: z.number().int().min(1) })),
    createdAt: Timestamp,
  })
  .openapi("OrderFulfillment");

export const OrderRefund = z
  .object({
    id: z.uuid(),
    amount: Money,
    status: z.enum(REFUND_STATUSES),
    reason: z.string(),
    items: z.array(z.object({ orderItemId: z.uuid(), quantity: z.number().int().min(1) })),
    restock: z.boolean(),
    createdAt: Timestamp,
  })
  .openapi("OrderRefund");

export const Order = z
  .object({
    id: z.uuid(),
    number: OrderNumber,
    status: OrderStatus,
    email: z.string(),
    customerId: z.uuid().nullable().openapi({ description: "Null for a guest's order" }),
    currency: Currency,
    items: z.array(OrderItem),
    subtotal: Money,
    discountTotal: Money,
    shippingTotal: Money,
    taxTotal: Money,
    total: Money,
    taxInclusive: z.boolean(),
    paidAmount: Money.openapi({ description: "What the provider confirmed was paid" }),
    refundedAmount: Money.openapi({ description: "What was given back; never more than paidAmount" }),
    shippingAddress: OrderAddress,
    billingAddress: OrderAddress,
    shipping: OrderShipping.nullable(),
    promotions: z.array(OrderPromotion),
    payment: OrderPayment.nullable().openapi({ description: "Null until the payment is created" }),
    fulfillments: z.array(OrderFulfillment),
    refunds: z.array(OrderRefund),
    expiresAt: Timestamp.nullable().openapi({ description: "When an unpaid order is cancelled; null once paid" }),
    paidAt: Timestamp.nullable(),
    cancelledAt: Timestamp.nullable(),
    createdAt: Timestamp.openapi({ description: "When it was placed" }),
    updatedAt: Timestamp,
  })
  .openapi("Order");
export type Order = z.infer<typeof Order>;

// Not OrderStatus.nullable(): a registered enum made nullable is documented as allOf [its ref, string or null],
// which still refuses null (the enum has none), so every event that is not a transition broke the document.
const EventStatus = z.enum(ORDER_STATUSES).nullable().openapi({ description: "Null when the event changed no status" });

export const OrderEvent = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ example: "status_changed" }),
    fromStatus: EventStatus,
    toStatus: EventStatus,
    actor: z.string().openapi({ description: "`user:<id>`, `key:<id>`, `system:<job>` or `guest`" }),
    reason: z.string(),
    data: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi("OrderEvent");
export type OrderEvent = z.infer<typeof OrderEvent>;

export const AdminOrder = Order.extend({ events: z.array(OrderEvent) }).openapi("AdminOrder");
export type AdminOrder = z.infer<typeof AdminOrder>;

export const OrderSummary = z
  .object({
    id: z.uuid(),
    number: OrderNumber,
    status: OrderStatus,
    email: z.string(),
    customerId: z.uuid().nullable(),
    currency: Currency,
    total: Money,
    itemCount: z.number().int().openapi({ description: "Units over every line" }),
    createdAt: Timestamp,
  })
  .openapi("OrderSummary");
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderPage = page(OrderSummary).openapi("OrderPage");
export type OrderPage = z.infer<typeof OrderPage>;

export const MyOrdersQuery = PageQuery;

export const CancelOrderBody = z
  .strictObject({ reason: z.string().trim().max(500).optional().openapi({ example: "Ordered the wrong size" }) })
  .openapi("CancelOrderInput");
export const CancelOrderInput = CancelOrderBody.extend({ id: z.uuid() });
