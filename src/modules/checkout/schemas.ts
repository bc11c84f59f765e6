import { z } from "@hono/zod-openapi";
import { AddressFields } from "../addresses/schemas";
import { Email } from "../identity/schemas";
import { Order } from "../orders/schemas";
import { CheckoutPayment } from "../payments/schemas";

/** An address typed at checkout, or one from the signed-in customer's book. */
export const CheckoutAddress = z
  .union([
    z.strictObject({ addressId: z.uuid().openapi({ description: "One of the customer's saved addresses" }) }),
    z.strictObject(AddressFields),
  ])
  .openapi("CheckoutAddress");
export type CheckoutAddress = z.output<typeof CheckoutAddress>;

export const PlaceOrderInput = z
  .strictObject({
    cartId: z.uuid(),
    email: Email.optional().openapi({ description: "Required for guests; a customer's defaults to their account's" }),
    shippingAddress: CheckoutAddress,
    billingAddress: CheckoutAddress.optional().openapi({ description: "The shipping address when left out" }),
    shippingMethodId: z
      .uuid()
      .optional()
      .openapi({ description: "From `GET /shipping-methods?cartId=`; the cart's chosen method when left out" }),
    expectedTotal: z.number().int().min(0).max(2_147_483_647).optional().openapi({
      description:
        "The total the shopper was shown: when today's prices, stock or promotions make another, the order is refused with 409 `PRICE_CHANGED` instead of charging it",
    }),
  })
  .openapi("PlaceOrderInput");
export type PlaceOrderInput = z.output<typeof PlaceOrderInput>;

export const CheckoutResult = z
  .object({
    order: Order,
    orderToken: z.string().nullable().openapi({
      description:
        "A guest's order token, shown here only: send it as `X-Order-Token` to read the order. Null for a customer",
    }),
    payment: CheckoutPayment,
  })
  .openapi("CheckoutResult");
export type CheckoutResult = z.infer<typeof CheckoutResult>;
