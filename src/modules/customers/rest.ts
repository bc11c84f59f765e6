import { createRoute } from "@hono/zod-openapi";
import type { RestApp } from "../../rest/env";
import { forStaff } from "../../rest/guards";
import { jsonBody, jsonResponse, problemResponses } from "../../rest/openapi";
import { Customer, CustomerIdInput, CustomerPage, ListCustomersInput, UpdateCustomerBody } from "./schemas";
import * as customers from "./service";

const listCustomersRoute = createRoute({
  method: "get",
  path: "/admin/customers",
  operationId: "listCustomers",
  tags: ["Admin: customers"],
  summary: "Accounts of every role, newest first; search by email or name",
  ...forStaff("customers:read"),
  request: { query: ListCustomersInput },
  responses: { 200: jsonResponse(CustomerPage, "One page of accounts"), ...problemResponses(400, 401, 403) },
});

const getCustomerRoute = createRoute({
  method: "get",
  path: "/admin/customers/{id}",
  operationId: "getCustomer",
  tags: ["Admin: customers"],
  summary: "One account",
  ...forStaff("customers:read"),
  request: { params: CustomerIdInput },
  responses: { 200: jsonResponse(Customer, "The account"), ...problemResponses(400, 401, 403, 404) },
});

const updateCustomerRoute = createRoute({
  method: "patch",
  path: "/admin/customers/{id}",
  operationId: "updateCustomer",
  tags: ["Admin: customers"],
  summary: "Change an account's role or disable/enable it",
  description:
    "Staff and admin sessions only (no API key). Changing a role is for admins; staff may disable or enable customers only. Nobody can change their own account here (403). A role change or disabling ends the account's sessions.",
  ...forStaff(),
  request: { params: CustomerIdInput, body: jsonBody(UpdateCustomerBody) },
  responses: { 200: jsonResponse(Customer, "The updated account"), ...problemResponses(400, 401, 403, 404) },
});

export const registerCustomerRoutes = (app: RestApp) =>
  app
    .openapi(listCustomersRoute, async (c) =>
      c.json(await customers.listCustomers(c.get("ctx"), c.req.valid("query")), 200),
    )
    .openapi(getCustomerRoute, async (c) =>
      c.json(await customers.getCustomer(c.get("ctx"), c.req.valid("param")), 200),
    )
    .openapi(updateCustomerRoute, async (c) => {
      const input = { ...c.req.valid("json"), id: c.req.valid("param").id };
      return c.json(await customers.updateCustomer(c.get("ctx"), input), 200);
    });
