import { IdParam } from "../../lib/id-param";
import { anyone, owner, query, signedIn } from "../../lib/operation";
import { MyOrdersQuery, Order, OrderPage } from "./schemas";
import * as orders from "./service";

export const listMyOrders = query({
  input: MyOrdersQuery,
  output: OrderPage,
  access: signedIn,
  rest: {
    method: "get",
    path: "/me/orders",
    status: 200,
    operationId: "listMyOrders",
    tag: "Me",
    summary: "The signed-in customer's orders, newest first",
    responds: "A page of order summaries",
  },
  run: (ctx, input) => orders.listMyOrders(ctx, input),
});

export const getMyOrder = query({
  input: IdParam,
  output: Order,
  access: owner("order"),
  rest: {
    method: "get",
    path: "/me/orders/{id}",
    status: 200,
    operationId: "getMyOrder",
    tag: "Me",
    summary: "One of the signed-in customer's orders, with its lines, payment, parcels and refunds",
    responds: "The order",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => orders.getMyOrder(ctx, input),
});

export const getGuestOrder = query({
  input: IdParam,
  output: Order,
  access: anyone,
  rest: {
    method: "get",
    path: "/orders/{id}",
    status: 200,
    operationId: "getGuestOrder",
    tag: "Orders",
    summary: "A guest's order, with the order token from its checkout as `X-Order-Token`",
    description:
      "The token came once, as `orderToken`, in the checkout's answer. A wrong or missing token is 404, as is an order that does not exist. Signed-in customers read theirs at `/me/orders/{id}`.",
    responds: "The order",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => orders.getGuestOrder(ctx, input),
});
