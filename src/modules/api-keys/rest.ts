import { createRoute } from "@hono/zod-openapi";
import type { RestApp } from "../../rest/env";
import { forAdmins } from "../../rest/guards";
import { jsonBody, jsonResponse, problemResponses } from "../../rest/openapi";
import { ApiKeyPage, CreateApiKeyInput, CreatedApiKey, ListApiKeysInput, RevokeApiKeyInput } from "./schemas";
import * as apiKeys from "./service";

const listApiKeysRoute = createRoute({
  method: "get",
  path: "/admin/api-keys",
  operationId: "listApiKeys",
  tags: ["Admin: API keys"],
  summary: "API keys, newest first (revoked ones included)",
  ...forAdmins,
  request: { query: ListApiKeysInput },
  responses: { 200: jsonResponse(ApiKeyPage, "One page of keys, without secrets"), ...problemResponses(400, 401, 403) },
});

const createApiKeyRoute = createRoute({
  method: "post",
  path: "/admin/api-keys",
  operationId: "createApiKey",
  tags: ["Admin: API keys"],
  summary: "Create an API key with scopes",
  description: "The response carries the secret; it is never shown again. API keys cannot create keys.",
  ...forAdmins,
  request: { body: jsonBody(CreateApiKeyInput) },
  responses: { 201: jsonResponse(CreatedApiKey, "The key and its secret"), ...problemResponses(400, 401, 403) },
});

const revokeApiKeyRoute = createRoute({
  method: "delete",
  path: "/admin/api-keys/{id}",
  operationId: "revokeApiKey",
  tags: ["Admin: API keys"],
  summary: "Revoke an API key (from its next request on)",
  description: "Revoking a revoked key succeeds and changes nothing.",
  ...forAdmins,
  request: { params: RevokeApiKeyInput },
  responses: { 204: { description: "Revoked" }, ...problemResponses(400, 401, 403, 404) },
});

export const registerApiKeyRoutes = (app: RestApp) =>
  app
    .openapi(listApiKeysRoute, async (c) => c.json(await apiKeys.listApiKeys(c.get("ctx"), c.req.valid("query")), 200))
    .openapi(createApiKeyRoute, async (c) => c.json(await apiKeys.createApiKey(c.get("ctx"), c.req.valid("json")), 201))
    .openapi(revokeApiKeyRoute, async (c) => {
      await apiKeys.revokeApiKey(c.get("ctx"), c.req.valid("param"));
      return c.body(null, 204);
    });
