import { anyone, idempotentMutation, type PublicCache, query, staff } from "../../lib/operation";
import * as catalog from "./categories";
import { Category, CategoryDetail, CategoryTree, CreateCategoryInput, GetCategoryInput } from "./schemas";

// Short: a CDN may serve a shopper a category a minute old; the server itself is fresh after every write.
const CATALOG_PUBLIC_CACHE: PublicCache = { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300 };

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
