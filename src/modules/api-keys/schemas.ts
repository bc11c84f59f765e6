import { z } from "@hono/zod-openapi";
import { IdParam } from "../../lib/id-param";
import { PageQuery, page } from "../../lib/pagination";
import { Line } from "../../lib/text";
import { ScopeSchema } from "../identity/schemas";

export const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "The first characters of the secret, to recognise the key", example: "ck_Xb3kQ9aZ" }),
    scopes: z.array(ScopeSchema),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().openapi({ description: "To the minute" }),
    revokedAt: z.iso.datetime().nullable(),
  })
  .openapi("ApiKey");
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyPage = page(ApiKey).openapi("ApiKeyPage");
export type ApiKeyPage = z.infer<typeof ApiKeyPage>;

export const ListApiKeysInput = PageQuery;

export const CreateApiKeyInput = z
  .strictObject({
    name: Line.min(1).max(200).openapi({ example: "ERP sync" }),
    scopes: z
      .array(ScopeSchema)
      .min(1, "Give at least one scope")
      .max(50)
      .openapi({ description: "Duplicates are dropped", example: ["catalog:read"] }),
  })
  .openapi("CreateApiKeyInput");

export const CreatedApiKey = z
  .object({
    key: ApiKey,
    secret: z.string().openapi({
      description: "Send as `Authorization: Bearer <secret>`. Shown this once: only its hash is stored",
      example: "ck_Xb3kQ9aZ...",
    }),
  })
  .openapi("CreatedApiKey");
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const RevokeApiKeyInput = IdParam;
