import { IdParam } from "../../lib/id-param";
import { mutation, query, staff } from "../../lib/operation";
import {
  CreateShippingMethodInput,
  ListShippingMethodsInput,
  ShippingMethod,
  ShippingMethodPage,
  UpdateShippingMethodBody,
  UpdateShippingMethodInput,
} from "./schemas";
import * as shipping from "./service";

const tag = "Admin: shipping";
// Store settings: no API key scope covers them, so keys are refused.
const settings = staff();

export const listShippingMethods = query({
  input: ListShippingMethodsInput,
  output: ShippingMethodPage,
  access: settings,
  rest: {
    method: "get",
    path: "/admin/shipping-methods",
    status: 200,
    operationId: "listShippingMethods",
    tag,
    summary: "Every shipping method, newest first",
    responds: "One page of shipping methods",
  },
  run: (ctx, input) => shipping.listShippingMethods(ctx, input),
});

export const createShippingMethod = mutation({
  input: CreateShippingMethodInput,
  output: ShippingMethod,
  access: settings,
  rest: {
    method: "post",
    path: "/admin/shipping-methods",
    status: 201,
    operationId: "createShippingMethod",
    tag,
    summary: "Create a shipping method for some countries",
    description: "Shoppers in those countries are offered it while it is enabled, in `position` order.",
    responds: "The new shipping method",
  },
  run: (ctx, input) => shipping.createShippingMethod(ctx, input),
});

export const getShippingMethod = query({
  input: IdParam,
  output: ShippingMethod,
  access: settings,
  rest: {
    method: "get",
    path: "/admin/shipping-methods/{id}",
    status: 200,
    operationId: "getShippingMethod",
    tag,
    summary: "One shipping method, enabled or not",
    responds: "The shipping method",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => shipping.getShippingMethod(ctx, input),
});

export const updateShippingMethod = mutation({
  input: UpdateShippingMethodInput,
  output: ShippingMethod,
  access: settings,
  rest: {
    method: "patch",
    path: "/admin/shipping-methods/{id}",
    status: 200,
    operationId: "updateShippingMethod",
    tag,
    summary: "Change a shipping method",
    description: "A `rate` given replaces the whole rate, so changing its kind sends all of the new kind's fields.",
    responds: "The updated shipping method",
    errors: [404],
    params: IdParam,
    body: UpdateShippingMethodBody,
  },
  run: (ctx, input) => shipping.updateShippingMethod(ctx, input),
});

export const deleteShippingMethod = mutation({
  input: IdParam,
  output: undefined,
  access: settings,
  rest: {
    method: "delete",
    path: "/admin/shipping-methods/{id}",
    status: 204,
    operationId: "deleteShippingMethod",
    tag,
    summary: "Delete a shipping method",
    description: "Disable it instead (`enabled: false`) to stop offering it but keep it.",
    responds: "Deleted",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => shipping.deleteShippingMethod(ctx, input),
});
