import { createRoute } from "@hono/zod-openapi";
import type { RestApp } from "../../rest/env";
import { forStaff } from "../../rest/guards";
import { idempotent } from "../../rest/idempotency";
import { IdempotencyKeyHeader, jsonBody, jsonResponse, problemResponses } from "../../rest/openapi";
import { Category, CategoryDetail, CategoryTree, CreateCategoryInput, GetCategoryInput } from "./schemas";
import * as catalog from "./service";

const listCategoriesRoute = createRoute({
  method: "get",
  path: "/categories",
  operationId: "listCategories",
  tags: ["Catalog"],
  summary: "The category tree",
  responses: { 200: jsonResponse(CategoryTree, "Root categories with their descendants"), ...problemResponses() },
});

const getCategoryRoute = createRoute({
  method: "get",
  path: "/categories/{idOrSlug}",
  operationId: "getCategory",
  tags: ["Catalog"],
  summary: "One category by id or slug",
  request: { params: GetCategoryInput },
  responses: {
    200: jsonResponse(CategoryDetail, "The category, its breadcrumb and children"),
    ...problemResponses(400, 404),
  },
});

const createCategoryRoute = createRoute({
  method: "post",
  path: "/admin/categories",
  operationId: "createCategory",
  tags: ["Admin: catalog"],
  summary: "Create a category",
  ...forStaff("catalog:write", idempotent()),
  request: { headers: IdempotencyKeyHeader, body: jsonBody(CreateCategoryInput) },
  responses: {
    201: jsonResponse(Category, "The new category"),
    ...problemResponses(400, 401, 403, 409, 422),
  },
});

export const registerCatalogRoutes = (app: RestApp) =>
  app
    .openapi(listCategoriesRoute, async (c) => c.json(await catalog.listCategoryTree(c.get("ctx")), 200))
    .openapi(getCategoryRoute, async (c) => c.json(await catalog.getCategory(c.get("ctx"), c.req.valid("param")), 200))
    .openapi(createCategoryRoute, async (c) =>
      c.json(await catalog.createCategory(c.get("ctx"), c.req.valid("json")), 201),
    );
