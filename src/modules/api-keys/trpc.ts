import { adminProcedure, router } from "../../trpc/init";
import { ApiKeyPage, CreateApiKeyInput, CreatedApiKey, ListApiKeysInput, RevokeApiKeyInput } from "./schemas";
import * as apiKeys from "./service";

export const apiKeysRouter = router({
  list: adminProcedure
    .input(ListApiKeysInput)
    .output(ApiKeyPage)
    .query(({ ctx, input }) => apiKeys.listApiKeys(ctx, input)),
  create: adminProcedure
    .input(CreateApiKeyInput)
    .output(CreatedApiKey)
    .mutation(({ ctx, input }) => apiKeys.createApiKey(ctx, input)),
  revoke: adminProcedure.input(RevokeApiKeyInput).mutation(({ ctx, input }) => apiKeys.revokeApiKey(ctx, input)),
});
