import { mutation, owner, query, signedIn } from "../../lib/operation";
import {
  Address,
  AddressIdInput,
  AddressList,
  CreateAddressInput,
  UpdateAddressBody,
  UpdateAddressInput,
} from "./schemas";
import * as addressBook from "./service";

const tag = "Me";

export const listAddresses = query({
  input: undefined,
  output: AddressList,
  access: signedIn,
  rest: {
    method: "get",
    path: "/me/addresses",
    status: 200,
    operationId: "listAddresses",
    tag,
    summary: "The signed-in customer's address book",
    responds: "Every address, oldest first",
  },
  run: (ctx) => addressBook.listAddresses(ctx),
});

export const createAddress = mutation({
  input: CreateAddressInput,
  output: Address,
  access: signedIn,
  rest: {
    method: "post",
    path: "/me/addresses",
    status: 201,
    operationId: "createAddress",
    tag,
    summary: "Add an address (at most 20); the first becomes the default for shipping and billing",
    responds: "The new address",
    errors: [409],
  },
  run: (ctx, input) => addressBook.createAddress(ctx, input),
});

export const getAddress = query({
  input: AddressIdInput,
  output: Address,
  access: owner("address"),
  rest: {
    method: "get",
    path: "/me/addresses/{id}",
    status: 200,
    operationId: "getAddress",
    tag,
    summary: "One address of the signed-in customer",
    responds: "The address",
    errors: [404],
    params: AddressIdInput,
  },
  run: (ctx, input) => addressBook.getAddress(ctx, input),
});

export const updateAddress = mutation({
  input: UpdateAddressInput,
  output: Address,
  access: owner("address"),
  rest: {
    method: "patch",
    path: "/me/addresses/{id}",
    status: 200,
    operationId: "updateAddress",
    tag,
    summary: "Change an address, or make it a default",
    responds: "The updated address",
    errors: [404],
    params: AddressIdInput,
    body: UpdateAddressBody,
  },
  run: (ctx, input) => addressBook.updateAddress(ctx, input),
});

export const deleteAddress = mutation({
  input: AddressIdInput,
  output: undefined,
  access: owner("address"),
  rest: {
    method: "delete",
    path: "/me/addresses/{id}",
    status: 204,
    operationId: "deleteAddress",
    tag,
    summary: "Remove an address; removing a default leaves none",
    responds: "Removed",
    errors: [404],
    params: AddressIdInput,
  },
  run: (ctx, input) => addressBook.deleteAddress(ctx, input),
});
