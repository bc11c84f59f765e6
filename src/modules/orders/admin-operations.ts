import { IdParam } from "../../lib/id-param";
import { idempotentMutation, mutation, query, staff } from "../../lib/operation";
import { FulfillOrderBody, FulfillOrderInput, ListAdminOrdersInput } from "./admin-schemas";
import { ADMIN_ORDERS_TAG, AdminOrder, OrderPage } from "./schemas";
import * as orders from "./service";

const tag = ADMIN_ORDERS_TAG;

export const listAdminOrders = query({
  input: ListAdminOrdersInput,
  output: OrderPage,
  access: staff("orders:read"),
  rest: {
    method: "get",
    path: "/admin/orders",
    status: 200,
    operationId: "listAdminOrders",
    tag,
    summary: "Orders, newest first, by status, placing date, customer, number or email",
    description:
      "Filters combine (all must hold). `number` takes `CW-100042` or `100042`; `email` matches in any case; `createdFrom` is inclusive and `createdTo` exclusive, a bare date meaning its midnight UTC.",
    responds: "A page of order summaries",
  },
  run: (ctx, input) => orders.listAdminOrders(ctx, input),
});

export const getAdminOrder = query({
  input: IdParam,
  output: AdminOrder,
  access: staff("orders:read"),
  rest: {
    method: "get",
    path: "/admin/orders/{id}",
    status: 200,
    operationId: "getAdminOrder",
    tag,
    summary: "One order, with its lines, payment, parcels, refunds and every event",
    description: "Events are every transition and notable change (parcels, payments, refunds): who, when, why.",
    responds: "The order with its events",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => orders.getAdminOrder(ctx, input),
});

export const fulfillOrder = idempotentMutation({
  input: FulfillOrderInput,
  output: AdminOrder,
  access: staff("orders:write"),
  rest: {
    method: "post",
    path: "/admin/orders/{id}/fulfillments",
    status: 201,
    operationId: "fulfillOrder",
    tag,
    summary: "Send a parcel: some or all of a paid order's unsent units, with carrier and tracking number",
    description:
      "Without `items`, every unit not yet sent or refunded goes. The order becomes `fulfilled` with its last unit out, and the customer gets the shipped email. Only `paid` and `partially_refunded` orders can be fulfilled (409 otherwise, also when nothing is left to send); an item of another order, or more units than are left, is a 400 naming the field.",
    responds: "The order with the new parcel",
    errors: [404, 409],
    params: IdParam,
    body: FulfillOrderBody,
  },
  run: (ctx, input) => orders.fulfillOrder(ctx, input),
});

export const markOrderDelivered = mutation({
  input: IdParam,
  output: AdminOrder,
  access: staff("orders:write"),
  rest: {
    method: "post",
    path: "/admin/orders/{id}/deliveries",
    status: 200,
    operationId: "markOrderDelivered",
    tag,
    summary: "Record that a fulfilled order arrived",
    description:
      "`fulfilled` becomes `delivered`; so does a `partially_refunded` order once every unit not refunded is sent, if it was not delivered before. Any other status is 409.",
    responds: "The delivered order",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => orders.markOrderDelivered(ctx, input),
});
