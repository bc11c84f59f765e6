import { sql as drizzleSql } from "drizzle-orm";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type postgres from "postgres";
import type { Db } from "../../db/client";
import type { Role } from "../../lib/context";

/** A tagged-template SQL runner: postgres.js itself, or drizzle's handle (a transaction included). */
export type RunSql = (strings: TemplateStringsArray, ...values: unknown[]) => Promise<Record<string, unknown>[]>;

/** postgres.js called directly prepares each statement once per connection. */
export const postgresRunner =
  (sql: postgres.Sql): RunSql =>
  (strings, ...values) =>
    sql(strings, ...(values as postgres.ParameterOrFragment<never>[]));

/** Through drizzle, so that a write joins the caller's transaction. */
export const drizzleRunner =
  (db: Db): RunSql =>
  async (strings, ...values) => [...(await db.execute(drizzleSql(strings, ...values)))];

/** The user columns Lucia hands over: what authentication decides on and what `/me` shows. */
export interface SessionUserAttributes {
  role: Role;
  disabledAt: Date | null;
  email: string;
  name: string;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

// drizzle sets the client's timestamp parsers to hand over Postgres' text, and
// its serializers to pass strings through: read with new Date, write ISO strings.
const date = (value: unknown) => new Date(value as string | Date);
const dateOrNull = (value: unknown) => (value === null ? null : date(value));

/**
 * Lucia's storage: the session and the few user columns authentication needs
 * in one statement (prepared, when run by postgres.js), never the password hash.
 */
export class SessionAdapter implements Adapter {
  constructor(private readonly run: RunSql) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.run`
      select s.id, s.user_id, s.expires_at, u.role, u.disabled_at, u.email, u.name, u.email_verified_at, u.created_at
      from sessions s join users u on u.id = s.user_id
      where s.id = ${sessionId}`;
    if (!row) return [null, null];
    const userId = row.user_id as string;
    const session = { id: row.id as string, userId, expiresAt: date(row.expires_at), attributes: {} };
    const attributes: SessionUserAttributes = {
      role: row.role as Role,
      disabledAt: dateOrNull(row.disabled_at),
      email: row.email as string,
      name: row.name as string,
      emailVerifiedAt: dateOrNull(row.email_verified_at),
      createdAt: date(row.created_at),
    };
    return [session, { id: userId, attributes }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.run`select id, expires_at from sessions where user_id = ${userId}`;
    return rows.map((r) => ({ id: r.id as string, userId, expiresAt: date(r.expires_at), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.run`insert into sessions (id, user_id, expires_at)
      values (${session.id}, ${session.userId}, ${session.expiresAt.toISOString()})`;
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.run`update sessions set expires_at = ${expiresAt.toISOString()} where id = ${sessionId}`;
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.run`delete from sessions where id = ${sessionId}`;
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.run`delete from sessions where user_id = ${userId}`;
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.run`delete from sessions where expires_at <= now()`;
  }
}
