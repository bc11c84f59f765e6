import { admin, mutation, query } from "../../lib/operation";
import { ApiKeyPage, CreateApiKeyInput, CreatedApiKey, ListApiKeysInput, RevokeApiKeyInput } from "./schemas";
import * as apiKeys from "./service";

const tag = "Admin: API keys";

export const listApiKeys = query({
  input: ListApiKeysInput,
  output: ApiKeyPage,
  access: admin,
  rest: {
    method: "get",
    path: "/admin/api-keys",
    status: 200,
    operationId: "listApiKeys",
    tag,
    summary: "API keys, newest first (revoked ones included)",
    responds: "One page of keys, without secrets",
  },
  run: (ctx, input) => apiKeys.listApiKeys(ctx, input),
});

export const createApiKey = mutation({
  input: CreateApiKeyInput,
  output: CreatedApiKey,
  access: admin,
  rest: {
    method: "post",
    path: "/admin/api-keys",
    status: 201,
    operationId: "createApiKey",
    tag,
    summary: "Create an API key with scopes",
    description: "The response carries the secret; it is never shown again. API keys cannot create keys.",
    responds: "The key and its secret",
  },
  run: (ctx, input) => apiKeys.createApiKey(ctx, input),
});

export const revokeApiKey = mutation({
  input: RevokeApiKeyInput,
  output: undefined,
  access: admin,
  rest: {
    method: "delete",
    path: "/admin/api-keys/{id}",
    status: 204,
    operationId: "revokeApiKey",
    tag,
    summary: "Revoke an API key (from its next request on)",
    description: "Revoking a revoked key succeeds and changes nothing.",
    responds: "Revoked",
    errors: [404],
    params: RevokeApiKeyInput,
  },
  run: (ctx, input) => apiKeys.revokeApiKey(ctx, input),
});
