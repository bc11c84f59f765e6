import { IdParam } from "../../lib/id-param";
import { mutation, query, staff } from "../../lib/operation";
import * as adminCollections from "./admin-collections";
import {
  CollectionPage,
  CollectionProducts,
  CreateCollectionInput,
  ListCollectionsInput,
  SetCollectionProductsBody,
  SetCollectionProductsInput,
  UpdateCollectionBody,
  UpdateCollectionInput,
} from "./admin-schemas";
import { Collection } from "./schemas";

const tag = "Admin: catalog";
const write = staff("catalog:write");

export const listAdminCollections = query({
  input: ListCollectionsInput,
  output: CollectionPage,
  access: staff("catalog:read"),
  rest: {
    method: "get",
    path: "/admin/collections",
    status: 200,
    operationId: "listAdminCollections",
    tag,
    summary: "Every collection, newest first",
    responds: "One page of collections",
  },
  run: (ctx, input) => adminCollections.listAdminCollections(ctx, input),
});

export const createCollection = mutation({
  input: CreateCollectionInput,
  output: Collection,
  access: write,
  rest: {
    method: "post",
    path: "/admin/collections",
    status: 201,
    operationId: "createCollection",
    tag,
    summary: "Create an empty collection",
    description: "Set its products with `PUT /admin/collections/{id}/products`.",
    responds: "The new collection",
    errors: [409],
  },
  run: (ctx, input) => adminCollections.createCollection(ctx, input),
});

export const updateCollection = mutation({
  input: UpdateCollectionInput,
  output: Collection,
  access: write,
  rest: {
    method: "patch",
    path: "/admin/collections/{id}",
    status: 200,
    operationId: "updateCollection",
    tag,
    summary: "Change a collection's title, slug, description or position",
    responds: "The collection",
    errors: [404, 409],
    params: IdParam,
    body: UpdateCollectionBody,
  },
  run: (ctx, input) => adminCollections.updateCollection(ctx, input),
});

export const deleteCollection = mutation({
  input: IdParam,
  output: undefined,
  access: write,
  rest: {
    method: "delete",
    path: "/admin/collections/{id}",
    status: 204,
    operationId: "deleteCollection",
    tag,
    summary: "Delete a collection (its products stay)",
    responds: "Deleted",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => adminCollections.deleteCollection(ctx, input),
});

export const setCollectionProducts = mutation({
  input: SetCollectionProductsInput,
  output: CollectionProducts,
  access: write,
  rest: {
    method: "put",
    path: "/admin/collections/{id}/products",
    status: 200,
    operationId: "setCollectionProducts",
    tag,
    summary: "Replace a collection's products, in display order",
    description: "Send the whole ordered list: products left out leave the collection. At most 1,000.",
    responds: "The collection's products in order",
    errors: [404],
    params: IdParam,
    body: SetCollectionProductsBody,
  },
  run: (ctx, input) => adminCollections.setCollectionProducts(ctx, input),
});
