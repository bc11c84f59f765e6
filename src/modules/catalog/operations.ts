import { IdParam } from "../../lib/id-param";
import { anyone, idempotentMutation, mutation, query, staff } from "../../lib/operation";
import { UpdateCategoryBody, UpdateCategoryInput } from "./admin-schemas";
import { CATALOG_PUBLIC_CACHE } from "./cache-tags";
import * as catalog from "./categories";
import { Category, CategoryDetail, CategoryTree, CreateCategoryInput, GetCategoryInput } from "./schemas";

// Short: a CDN may serve a shopper a category a minute old; the server itself is fresh after every write.

export const listCategories = query({
  input: undefined,
  output: CategoryTree,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/categories",
    status: 200,
    operationId: "listCategories",
    tag: "Catalog",
    summary: "The category tree",
    responds: "Root categories with their descendants",
  },
  run: (ctx) => catalog.listCategoryTree(ctx),
});

export const getCategory = query({
  input: GetCategoryInput,
  output: CategoryDetail,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/categories/{idOrSlug}",
    status: 200,
    operationId: "getCategory",
    tag: "Catalog",
    summary: "One category by id or slug",
    responds: "The category, its breadcrumb and children",
    errors: [404],
    params: GetCategoryInput,
  },
  run: (ctx, input) => catalog.getCategory(ctx, input),
});

export const createCategory = idempotentMutation({
  input: CreateCategoryInput,
  output: Category,
  access: staff("catalog:write"),
  rest: {
    method: "post",
    path: "/admin/categories",
    status: 201,
    operationId: "createCategory",
    tag: "Admin: catalog",
    summary: "Create a category",
    responds: "The new category",
    errors: [409],
  },
  run: (ctx, input) => catalog.createCategory(ctx, input),
});

export const updateCategory = mutation({
  input: UpdateCategoryInput,
  output: Category,
  access: staff("catalog:write"),
  rest: {
    method: "patch",
    path: "/admin/categories/{id}",
    status: 200,
    operationId: "updateCategory",
    tag: "Admin: catalog",
    summary: "Rename, edit or move a category",
    description: "`parentId` moves it (null: to the root); under itself or a descendant is 409 naming parentId.",
    responds: "The category",
    errors: [404, 409],
    params: IdParam,
    body: UpdateCategoryBody,
  },
  run: (ctx, input) => catalog.updateCategory(ctx, input),
});

export const deleteCategory = mutation({
  input: IdParam,
  output: undefined,
  access: staff("catalog:write"),
  rest: {
    method: "delete",
    path: "/admin/categories/{id}",
    status: 204,
    operationId: "deleteCategory",
    tag: "Admin: catalog",
    summary: "Delete a category without subcategories or products",
    description: "409 while it has subcategories or products.",
    responds: "Deleted",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => catalog.deleteCategory(ctx, input),
});
