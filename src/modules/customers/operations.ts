import { mutation, query, staff } from "../../lib/operation";
import {
  Customer,
  CustomerIdInput,
  CustomerPage,
  ListCustomersInput,
  UpdateCustomerBody,
  UpdateCustomerInput,
} from "./schemas";
import * as customers from "./service";

const tag = "Admin: customers";

export const listCustomers = query({
  input: ListCustomersInput,
  output: CustomerPage,
  access: staff("customers:read"),
  rest: {
    method: "get",
    path: "/admin/customers",
    status: 200,
    operationId: "listCustomers",
    tag,
    summary: "Accounts of every role, newest first; search by email or name",
    responds: "One page of accounts",
  },
  run: (ctx, input) => customers.listCustomers(ctx, input),
});

export const getCustomer = query({
  input: CustomerIdInput,
  output: Customer,
  access: staff("customers:read"),
  rest: {
    method: "get",
    path: "/admin/customers/{id}",
    status: 200,
    operationId: "getCustomer",
    tag,
    summary: "One account",
    responds: "The account",
    errors: [404],
    params: CustomerIdInput,
  },
  run: (ctx, input) => customers.getCustomer(ctx, input),
});

export const updateCustomer = mutation({
  input: UpdateCustomerInput,
  output: Customer,
  access: staff(),
  rest: {
    method: "patch",
    path: "/admin/customers/{id}",
    status: 200,
    operationId: "updateCustomer",
    tag,
    summary: "Change an account's role or disable/enable it",
    description:
      "Staff and admin sessions only (no API key). Changing a role is for admins; staff may disable or enable customers only. Nobody can change their own account here (403). A role change or disabling ends the account's sessions.",
    responds: "The updated account",
    errors: [404],
    params: CustomerIdInput,
    body: UpdateCustomerBody,
  },
  run: (ctx, input) => customers.updateCustomer(ctx, input),
});
