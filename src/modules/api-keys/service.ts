import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { apiKeys } from "../../db/schema";
import { requireAdmin, type Scope } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { hashToken, randomToken } from "../../lib/tokens";
import { whenCommitted } from "../../lib/transaction";
import { apiKeyChanged } from "../identity/service";
import {
  type ApiKey,
  type ApiKeyPage,
  CreateApiKeyInput,
  type CreatedApiKey,
  ListApiKeysInput,
  RevokeApiKeyInput,
} from "./schemas";

/** `ck_` and 8 characters of the random part: enough to tell keys apart, far too little to guess one. */
const PREFIX_LENGTH = 11;

// Every column but the hash, which never leaves the service.
const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};
type ListedRow = Omit<typeof apiKeys.$inferSelect, "keyHash" | "createdBy">;

const toApiKey = (row: ListedRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  // Only createApiKey writes scopes, and it takes them from ScopeSchema.
  scopes: row.scopes as Scope[],
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Every API key, revoked ones included, newest first. Admins only. */
export async function listApiKeys(ctx: Ctx, raw: z.input<typeof ListApiKeysInput>): Promise<ApiKeyPage> {
  requireAdmin(ctx.actor);
  const input = ListApiKeysInput.parse(raw);
  const rows = await ctx.db
    .select({ ...listed, pageKey: pageKey(apiKeys) })
    .from(apiKeys)
    .where(after(apiKeys, input.cursor))
    .orderBy(...newestFirst(apiKeys))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, toApiKey);
}

/** Makes a key with these scopes. Its secret is in this response only; the table keeps its SHA-256. Admins only. */
export async function createApiKey(ctx: Ctx, raw: z.input<typeof CreateApiKeyInput>): Promise<CreatedApiKey> {
  requireAdmin(ctx.actor);
  const input = CreateApiKeyInput.parse(raw);
  // authenticate.ts tells an API key from a session token by this prefix.
  const secret = `ck_${randomToken()}`;
  const [row] = await ctx.db
    .insert(apiKeys)
    .values({
      id: newId(),
      name: input.name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      keyHash: hashToken(secret),
      scopes: [...new Set(input.scopes)],
      createdBy: ctx.actor.kind === "user" ? ctx.actor.userId : null,
    })
    .returning(listed);
  return { key: toApiKey(row as ListedRow), secret };
}

/**
 * Revokes a key: its next request is refused by every process (the bump
 * below makes each re-check it; authenticate.ts skips revoked keys).
 * Revoking again changes nothing and succeeds. Admins only.
 */
export async function revokeApiKey(ctx: Ctx, raw: z.input<typeof RevokeApiKeyInput>): Promise<void> {
  requireAdmin(ctx.actor);
  const { id } = RevokeApiKeyInput.parse(raw);
  const [row] = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, id))
    .returning({ id: apiKeys.id });
  if (!row) throw new AppError("NOT_FOUND", "API key not found");
  await whenCommitted(ctx, () => apiKeyChanged(ctx, row.id));
}
