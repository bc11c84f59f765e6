import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, type OrderStatus as Status } from "../../db/schema";
import { PageQuery } from "../../lib/pagination";
import { Line, Text } from "../../lib/text";
import { OrderStatus } from "./schemas";

// What staff send to the admin order operations (admin-orders.ts, fulfillments.ts).

const isStatus = (s: unknown): s is Status => ORDER_STATUSES.includes(s as Status);

/**
 * One status or several: a query string repeats the parameter or separates values with commas, tRPC
 * sends a status or an array. An unknown status is one error on `status` naming it.
 */
const StatusFilter = z
  .preprocess<unknown, z.ZodArray<typeof OrderStatus>, Status | Status[]>((v, ctx) => {
    const list = typeof v === "string" ? v.split(",") : v;
    const unknown = Array.isArray(list) ? list.filter((s) => !isStatus(s)) : [];
    if (unknown.length === 0) return list;
    ctx.addIssue({
      code: "custom",
      // The statuses refused are not echoed: a query string may be long, the answer stays small.
      message: `Unknown status: one of ${ORDER_STATUSES.join(", ")}`,
      input: v,
    });
    return z.NEVER;
  }, z.array(OrderStatus).min(1).max(ORDER_STATUSES.length))
  .openapi({
    description: "Orders in any of these statuses: repeat the parameter or separate them with commas",
    example: ["paid", "partially_refunded"],
  });

/**
 * A day (midnight UTC) or an instant with its offset. Year 0 is refused: Postgres has none.
 */
const Instant = z
  .union([z.iso.date().max(10), z.iso.datetime({ offset: true })], {
    error: () => "A date (2026-11-01) or a date-time with its offset (2026-11-01T09:30:00Z)",
  })
  .refine((v) => !v.startsWith("0000-"), "Year 0 does not exist");

export const ListAdminOrdersInput = PageQuery.extend({
  status: StatusFilter.optional(),
  createdFrom: Instant.optional().openapi({ description: "Placed at or after this", example: "2026-11-01" }),
  createdTo: Instant.optional().openapi({ description: "Placed before this (exclusive)", example: "2026-12-01" }),
  customerId: z.uuid().optional().openapi({ description: "The customer's orders" }),
  number: Text.regex(/^([Cc][Ww]-)?[0-9]{1,15}$/, "An order number: CW-100042, or its digits")
    .optional()
    .openapi({ description: "The order with this number, with or without `CW-`", example: "CW-100042" }),
  email: z
    .email()
    .max(254)
    .optional()
    .openapi({ description: "Orders placed with this email, in any case", example: "ada@example.com" }),
}).superRefine((q, ctx) => {
  if (q.createdFrom && q.createdTo && new Date(q.createdTo) <= new Date(q.createdFrom)) {
    ctx.addIssue({ code: "custom", path: ["createdTo"], message: "Must be after createdFrom", input: q.createdTo });
  }
});
export type ListAdminOrdersInput = z.output<typeof ListAdminOrdersInput>;

const INT_MAX = 2_147_483_647;

const FulfillmentItem = z
  .strictObject({
    orderItemId: z.uuid().openapi({ description: "An item (line) of this order" }),
    quantity: z.number().int().min(1).max(INT_MAX),
  })
  .openapi("FulfillmentItemInput");

export const FulfillOrderBody = z
  .strictObject({
    carrier: Line.min(1).max(100).openapi({ example: "UPS" }),
    trackingNumber: Line.min(1).max(100).openapi({ example: "1Z999AA10123456784" }),
    trackingUrl: z
      .url({ protocol: /^https?$/, error: "An http or https URL" })
      .max(2000)
      .optional()
      .openapi({ example: "https://www.ups.com/track?tracknum=1Z999AA10123456784" }),
    items: z
      .array(FulfillmentItem)
      .min(1)
      .max(500)
      .superRefine((items, ctx) => {
        items.forEach((item, i) => {
          if (items.findIndex((other) => other.orderItemId === item.orderItemId) < i) {
            ctx.addIssue({
              code: "custom",
              path: [i, "orderItemId"],
              message: "Listed twice",
              input: item.orderItemId,
            });
          }
        });
      })
      .optional()
      .openapi({ description: "The units in this parcel; leave out to send every unit not yet sent or refunded" }),
  })
  .openapi("FulfillOrderInput");
export const FulfillOrderInput = FulfillOrderBody.extend({ id: z.uuid() });
export type FulfillOrderInput = z.output<typeof FulfillOrderInput>;
