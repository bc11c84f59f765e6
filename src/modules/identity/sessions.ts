import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { and, eq, ne } from "drizzle-orm";
import { Lucia, TimeSpan } from "lucia";
import { sessions, users } from "../../db/schema";
import type { Ctx, Role } from "../../lib/context";
import { hashToken, randomToken } from "../../lib/tokens";

export const SESSION_COOKIE = "session";
const SESSION_DAYS = 30;

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof lucia>;
    // The drizzle adapter hands over the row with its TypeScript (camelCase) keys.
    DatabaseUserAttributes: { role: Role; disabledAt: Date | null };
  }
}

// Lucia is bound to a connection, and a service may run inside a transaction:
// it is built per call (a few objects, no I/O).
function lucia(ctx: Pick<Ctx, "db">) {
  return new Lucia(new DrizzlePostgreSQLAdapter(ctx.db, sessions, users), {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, "d"),
    getUserAttributes: (a) => ({ role: a.role, disabledAt: a.disabledAt }),
  });
}

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

export interface ValidSession {
  sessionId: string;
  userId: string;
  role: Role;
  expiresAt: Date;
  /** Lucia extended the expiry (sliding): a cookie should be sent again. */
  extended: boolean;
}

/** The session behind a presented token, or null (unknown, expired, or its user disabled). */
export async function validateToken(ctx: Pick<Ctx, "db">, token: string): Promise<ValidSession | null> {
  const { session, user } = await lucia(ctx).validateSession(hashToken(token));
  if (!session || !user) return null;
  if (user.disabledAt) {
    await revokeAllSessions(ctx, user.id);
    return null;
  }
  return {
    sessionId: session.id,
    userId: user.id,
    role: user.role,
    expiresAt: session.expiresAt,
    extended: session.fresh,
  };
}

export const revokeSession = (ctx: Pick<Ctx, "db">, sessionId: string) => lucia(ctx).invalidateSession(sessionId);

export const revokeAllSessions = (ctx: Pick<Ctx, "db">, userId: string) => lucia(ctx).invalidateUserSessions(userId);

/** Every session of the user but one (password change keeps the device that changed it). */
export async function revokeOtherSessions(ctx: Pick<Ctx, "db">, userId: string, keepSessionId: string): Promise<void> {
  // One statement; Lucia has no "all but one", and its table is ours.
  await ctx.db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

export const purgeExpiredSessions = (ctx: Pick<Ctx, "db">) => lucia(ctx).deleteExpiredSessions();
