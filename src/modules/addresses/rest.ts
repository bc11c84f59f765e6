import { createRoute } from "@hono/zod-openapi";
import type { RestApp } from "../../rest/env";
import { forSignedIn } from "../../rest/guards";
import { jsonBody, jsonResponse, problemResponses } from "../../rest/openapi";
import { Address, AddressIdInput, AddressList, CreateAddressInput, UpdateAddressBody } from "./schemas";
import * as addressBook from "./service";

const listAddressesRoute = createRoute({
  method: "get",
  path: "/me/addresses",
  operationId: "listAddresses",
  tags: ["Me"],
  summary: "The signed-in customer's address book",
  ...forSignedIn,
  responses: { 200: jsonResponse(AddressList, "Every address, oldest first"), ...problemResponses(401, 403) },
});

const createAddressRoute = createRoute({
  method: "post",
  path: "/me/addresses",
  operationId: "createAddress",
  tags: ["Me"],
  summary: "Add an address (at most 20); the first becomes the default for shipping and billing",
  ...forSignedIn,
  request: { body: jsonBody(CreateAddressInput) },
  responses: {
    201: jsonResponse(Address, "The new address"),
    ...problemResponses(400, 401, 403, 409),
  },
});

const getAddressRoute = createRoute({
  method: "get",
  path: "/me/addresses/{id}",
  operationId: "getAddress",
  tags: ["Me"],
  summary: "One address of the signed-in customer",
  ...forSignedIn,
  request: { params: AddressIdInput },
  responses: { 200: jsonResponse(Address, "The address"), ...problemResponses(400, 401, 403, 404) },
});

const updateAddressRoute = createRoute({
  method: "patch",
  path: "/me/addresses/{id}",
  operationId: "updateAddress",
  tags: ["Me"],
  summary: "Change an address, or make it a default",
  ...forSignedIn,
  request: { params: AddressIdInput, body: jsonBody(UpdateAddressBody) },
  responses: { 200: jsonResponse(Address, "The updated address"), ...problemResponses(400, 401, 403, 404) },
});

const deleteAddressRoute = createRoute({
  method: "delete",
  path: "/me/addresses/{id}",
  operationId: "deleteAddress",
  tags: ["Me"],
  summary: "Remove an address; removing a default leaves none",
  ...forSignedIn,
  request: { params: AddressIdInput },
  responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
});

export const registerAddressRoutes = (app: RestApp) =>
  app
    .openapi(listAddressesRoute, async (c) => c.json(await addressBook.listAddresses(c.get("ctx")), 200))
    .openapi(createAddressRoute, async (c) =>
      c.json(await addressBook.createAddress(c.get("ctx"), c.req.valid("json")), 201),
    )
    .openapi(getAddressRoute, async (c) =>
      c.json(await addressBook.getAddress(c.get("ctx"), c.req.valid("param")), 200),
    )
    .openapi(updateAddressRoute, async (c) => {
      const input = { ...c.req.valid("json"), id: c.req.valid("param").id };
      return c.json(await addressBook.updateAddress(c.get("ctx"), input), 200);
    })
    .openapi(deleteAddressRoute, async (c) => {
      await addressBook.deleteAddress(c.get("ctx"), c.req.valid("param"));
      return c.body(null, 204);
    });
