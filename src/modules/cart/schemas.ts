import { z } from "@hono/zod-openapi";
import { Line } from "../../lib/text";
import { Country } from "../addresses/schemas";
import { Currency } from "../catalog/schemas";

/** A line holds 1 to 99 units (api.md carts). */
export const MAX_QUANTITY = 99;
/** Distinct lines a cart may hold. */
export const MAX_LINES = 100;
/** A guest cart lapses this long after its last change. */
export const GUEST_CART_DAYS = 30;

const Money = z.number().int().min(0);
const Quantity = z
  .number({ error: (iss) => (iss.code === "invalid_type" ? "An integer from 1 to 99" : undefined) })
  .int("An integer from 1 to 99")
  .min(1, "At least 1")
  .max(MAX_QUANTITY, `At most ${MAX_QUANTITY}`)
  .openapi({ description: "Units, 1 to 99", example: 2 });

const pathId = (name: string) =>
  z.uuid().openapi({ param: { name, in: "path" }, example: "01a20160-0000-7000-8000-000000000000" });

export const CartIdParams = z.object({ cartId: pathId("cartId") });
export const CartItemParams = z.object({ cartId: pathId("cartId"), itemId: pathId("itemId") });

export const CouponCode = Line.min(1).max(40).openapi({ description: "A promotion code, any case", example: "SAVE10" });
export const CouponParams = z.object({
  cartId: pathId("cartId"),
  code: CouponCode.openapi({ param: { name: "code", in: "path" }, example: "SAVE10" }),
});

export const CartInput = z.object({ cartId: z.uuid() });

export const CreateCartBody = z
  .strictObject({
    country: Country.optional().openapi({ description: "Where it ships, for shipping methods and tax" }),
  })
  .openapi("CreateCartInput");
export const CreateCartInput = CreateCartBody.default({});

export const UpdateCartBody = z
  .strictObject({
    country: Country.nullable().optional(),
    region: Line.max(100).nullable().optional().openapi({
      description:
        "State or province, for tax: its ISO 3166-2 code (CA or US-CA for California) matches a regional rate",
    }),
    postalCode: Line.max(20).nullable().optional(),
    shippingMethodId: z.uuid().nullable().optional().openapi({ description: "From `GET /shipping-methods?cartId=`" }),
  })
  .openapi("UpdateCartInput");
export const UpdateCartInput = UpdateCartBody.extend({ cartId: z.uuid() });

export const AddCartItemBody = z
  .strictObject({ variantId: z.uuid(), quantity: Quantity.default(1) })
  .openapi("AddCartItemInput");
export const AddCartItemInput = AddCartItemBody.extend({ cartId: z.uuid() });

export const UpdateCartItemBody = z.strictObject({ quantity: Quantity }).openapi("UpdateCartItemInput");
export const UpdateCartItemInput = UpdateCartItemBody.extend({ cartId: z.uuid(), itemId: z.uuid() });
export const CartItemInput = z.object({ cartId: z.uuid(), itemId: z.uuid() });

export const ApplyCouponBody = z.strictObject({ code: CouponCode }).openapi("ApplyCouponInput");
export const ApplyCouponInput = ApplyCouponBody.extend({ cartId: z.uuid() });
export const RemoveCouponInput = z.object({ cartId: z.uuid(), code: CouponCode });

export const CART_ITEM_STATUSES = ["ok", "insufficient_stock", "unavailable", "deleted"] as const;
export type CartItemStatus = (typeof CART_ITEM_STATUSES)[number];

export const CartItem = z
  .object({
    id: z.uuid(),
    variantId: z.uuid().nullable().openapi({ description: "Null once the variant was deleted" }),
    productId: z.uuid().nullable(),
    productSlug: z.string().nullable(),
    title: z.string().openapi({ description: "The product's title (as added, when it is gone)" }),
    variantTitle: z.string(),
    sku: z.string(),
    options: z.record(z.string(), z.string()),
    imageUrl: z.string().nullable(),
    quantity: z.number().int(),
    unitPrice: Money.openapi({ description: "Today's price, what the shopper pays" }),
    addedUnitPrice: Money.openapi({ description: "The price when the line was added or last changed" }),
    priceChanged: z.boolean().openapi({ description: "`unitPrice` differs from `addedUnitPrice`" }),
    available: z.number().int().min(0).openapi({ description: "Units that can be bought now" }),
    status: z.enum(CART_ITEM_STATUSES).openapi({
      description:
        "`ok`; `insufficient_stock` (more than `available`); `unavailable` (the product is not for sale now) or `deleted`: not priced, remove it to check out",
    }),
    subtotal: Money,
    discount: Money,
    total: Money,
    tax: Money,
    adjustments: z.array(z.object({ promotionId: z.uuid(), amount: Money })),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("CartItem");
export type CartItem = z.infer<typeof CartItem>;

export const CART_NOTICE_KINDS = [
  "price_changed",
  "insufficient_stock",
  "item_unavailable",
  "promotion_removed",
  "shipping_method_unavailable",
] as const;

export const CartNotice = z
  .object({
    kind: z.enum(CART_NOTICE_KINDS),
    message: z.string(),
    itemId: z.uuid().optional(),
    code: z.string().optional().openapi({ description: "The coupon that was removed" }),
    reason: z.string().optional().openapi({ description: "Why the coupon no longer applies (COUPON_INVALID reasons)" }),
  })
  .openapi("CartNotice");
export type CartNotice = z.infer<typeof CartNotice>;

export const CartPromotion = z
  .object({ id: z.uuid(), name: z.string(), code: z.string().nullable(), amount: Money })
  .openapi("CartPromotion");

export const CartShipping = z
  .object({
    methodId: z.uuid(),
    name: z.string(),
    available: z.boolean().openapi({ description: "False when the method cannot ship this cart (too heavy)" }),
    amount: Money,
    discount: Money,
    total: Money,
    tax: Money,
  })
  .openapi("CartShipping");

export const CartTotals = z
  .object({
    subtotal: Money,
    discountTotal: Money.openapi({ description: "Item and order discounts (free shipping is in `shipping.discount`)" }),
    shippingTotal: Money,
    taxTotal: Money,
    total: Money.openapi({ description: "subtotal - discountTotal + shippingTotal (+ taxTotal unless taxInclusive)" }),
    taxInclusive: z.boolean(),
  })
  .openapi("CartTotals");

export const Cart = z
  .object({
    id: z.uuid(),
    owner: z.enum(["guest", "customer"]),
    currency: Currency,
    items: z.array(CartItem),
    itemCount: z.number().int().openapi({ description: "Units over every line" }),
    couponCode: z.string().nullable(),
    promotions: z.array(CartPromotion).openapi({ description: "What each applied promotion takes off" }),
    country: z.string().nullable(),
    region: z.string().nullable(),
    postalCode: z.string().nullable(),
    shipping: CartShipping.nullable(),
    totals: CartTotals,
    notices: z.array(CartNotice).openapi({ description: "What changed since the shopper last looked" }),
    expiresAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Cart");
export type Cart = z.infer<typeof Cart>;

export const CreatedCart = Cart.extend({
  token: z.string().nullable().openapi({
    description: "A guest cart's secret, shown once: send it as `X-Cart-Token`. Null for a customer's cart",
  }),
}).openapi("CreatedCart");
export type CreatedCart = z.infer<typeof CreatedCart>;

export const MergedCart = Cart.extend({
  capped: z
    .array(
      z.object({
        variantId: z.uuid(),
        sku: z.string(),
        requested: z.number().int().openapi({ description: "Both carts' quantities added" }),
        quantity: z.number().int().openapi({ description: "What the line holds now" }),
        available: z.number().int(),
      }),
    )
    .openapi({ description: "Lines whose added quantities were cut to what is available (or 99)" }),
}).openapi("MergedCart");
export type MergedCart = z.infer<typeof MergedCart>;

export const ShippingMethodsQuery = z.object({
  cartId: z.uuid().openapi({ param: { name: "cartId", in: "query" } }),
});

export const CartShippingOption = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    available: z.boolean().openapi({ description: "False when it cannot ship this cart (too heavy)" }),
    amount: Money.openapi({ description: "What it charges for this cart" }),
    discount: Money.openapi({ description: "What free shipping takes off" }),
    total: Money,
    currency: Currency,
  })
  .openapi("CartShippingOption");
export const CartShippingOptions = z.object({ items: z.array(CartShippingOption) }).openapi("CartShippingOptions");
export type CartShippingOptions = z.infer<typeof CartShippingOptions>;
