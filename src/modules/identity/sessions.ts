import { and, eq, ne } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { sessions } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { hashToken, randomToken } from "../../lib/tokens";
import { whenCommitted } from "../../lib/transaction";
import { drizzleRunner, SessionAdapter, type SessionUserAttributes } from "./session-adapter";
import { userChanged } from "./versions";

export const SESSION_COOKIE = "session";
const SESSION_LIFETIME = new TimeSpan(30, "d");

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof sessionLucia>;
    DatabaseUserAttributes: SessionUserAttributes;
  }
}

/** Lucia over our adapter. */
export function sessionLucia(adapter: SessionAdapter) {
  return new Lucia(adapter, {
    sessionExpiresIn: SESSION_LIFETIME,
    getUserAttributes: (a) => a,
  });
}

/**
 * Lucia's rule for sliding expiry (Lucia.validateSession), for a session
 * validated from memory: past the first half of its lifetime, it is extended.
 */
export function extendedExpiry(expiresAt: Date, now = Date.now()): Date | null {
  const lifetime = SESSION_LIFETIME.milliseconds();
  return expiresAt.getTime() - lifetime / 2 <= now ? new Date(now + lifetime) : null;
}

// A service may run inside a transaction: its session writes go through its
// own handle, with a Lucia built per call (a few objects, no I/O).
const lucia = (ctx: Pick<Ctx, "db">) => sessionLucia(new SessionAdapter(drizzleRunner(ctx.db)));

export interface IssuedSession {
  /** Given to the client once; the database keeps only its hash as the session id. */
  token: string;
  sessionId: string;
  expiresAt: Date;
}

/** A new session with a fresh id (sign-in, registration): never reuses an earlier one. */
export async function createSession(ctx: Pick<Ctx, "db">, userId: string): Promise<IssuedSession> {
  const token = randomToken();
  const session = await lucia(ctx).createSession(userId, {}, { sessionId: hashToken(token) });
  return { token, sessionId: session.id, expiresAt: session.expiresAt };
}

// Every revocation below tells each process's cache of signed-in callers once it
// commits (versions.ts), so the revoked session is refused on its next request.
type WriteCtx = Pick<Ctx, "db" | "cache" | "log">;

/** Ends one session of the user. */
export async function revokeSession(ctx: WriteCtx, session: { userId: string; sessionId: string }): Promise<void> {
  await lucia(ctx).invalidateSession(session.sessionId);
  await whenCommitted(ctx, () => userChanged(ctx, session.userId));
}

/** Ends every session of the user. */
export async function revokeAllSessions(ctx: WriteCtx, userId: string): Promise<void> {
  await lucia(ctx).invalidateUserSessions(userId);
  await whenCommitted(ctx, () => userChanged(ctx, userId));
}

/** Every session of the user but one (password change keeps the device that changed it). */
export async function revokeOtherSessions(ctx: WriteCtx, userId: string, keepSessionId: string): Promise<void> {
  // One statement; Lucia has no "all but one", and its table is ours.
  await ctx.db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
  await whenCommitted(ctx, () => userChanged(ctx, userId));
}

/** Expired sessions; nothing to tell the caches, which check each session's expiry themselves. */
export const purgeExpiredSessions = (ctx: Pick<Ctx, "db">) => lucia(ctx).deleteExpiredSessions();
