import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { apiKeys } from "../../db/schema";
import type { Actor, Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { hashToken } from "../../lib/tokens";
import { type ValidSession, validateToken } from "./sessions";

export interface Credentials {
  /** The Authorization header's bearer value: a session token or an API key (`ck_...`). */
  bearer?: string;
  /** The `session` cookie. */
  cookie?: string;
}

export interface Authenticated {
  actor: Actor;
  /** The session slid forward: the cookie should be sent again with the new expiry. */
  refreshCookie?: { token: string; expiresAt: Date };
  /** A cookie was sent that no longer signs anyone in: clear it. */
  clearCookie?: boolean;
}

/**
 * Turns what a request presents into an actor. A bearer credential that does
 * not authenticate is a 401 everywhere (a client must learn its token died); a
 * dead cookie just makes a guest and is cleared.
 */
export async function authenticate(ctx: Pick<Ctx, "db">, creds: Credentials): Promise<Authenticated> {
  if (creds.bearer) {
    const actor = creds.bearer.startsWith("ck_")
      ? await apiKeyActor(ctx, creds.bearer)
      : await sessionActor(ctx, creds.bearer);
    if (!actor) throw new AppError("UNAUTHENTICATED", "Invalid, expired or revoked credentials");
    return { actor };
  }
  if (creds.cookie) {
    const session = await validateToken(ctx, creds.cookie);
    if (!session) return { actor: { kind: "guest" }, clearCookie: true };
    return {
      actor: userActor(session, "cookie"),
      ...(session.extended && { refreshCookie: { token: creds.cookie, expiresAt: session.expiresAt } }),
    };
  }
  return { actor: { kind: "guest" } };
}

const userActor = (session: ValidSession, via: "bearer" | "cookie"): Actor => ({
  kind: "user",
  userId: session.userId,
  role: session.role,
  sessionId: session.sessionId,
  via,
});

async function sessionActor(ctx: Pick<Ctx, "db">, token: string): Promise<Actor | null> {
  const session = await validateToken(ctx, token);
  return session && userActor(session, "bearer");
}

async function apiKeyActor(ctx: Pick<Ctx, "db">, secret: string): Promise<Actor | null> {
  const [key] = await ctx.db
    .select({ id: apiKeys.id, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(secret)), isNull(apiKeys.revokedAt)));
  if (!key) return null;
  // "Last used" to the minute: one write per key per minute, not per request.
  await ctx.db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
  return { kind: "apiKey", keyId: key.id, scopes: key.scopes };
}
