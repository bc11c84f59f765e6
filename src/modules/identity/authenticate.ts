import type postgres from "postgres";
import type { Db } from "../../db/client";
import { type Cache, tagKey } from "../../lib/cache";
import type { Actor } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { KeyValueStore } from "../../lib/kv";
import type { Logger } from "../../lib/logger";
import { type Limit, PrepaidHit, type RateLimiter, rateLimited } from "../../lib/rate-limit";
import { hashToken } from "../../lib/tokens";
import { BackgroundWrites } from "./background-writes";
import { type Principal, PrincipalCache } from "./principals";
import { rememberProfile, toMe } from "./profile";
import { postgresRunner, type RunSql, SessionAdapter } from "./session-adapter";
import { extendedExpiry, revokeAllSessions, sessionLucia } from "./sessions";
import { apiKeySubject, principalTag, subjectOfTag, userSubject } from "./versions";

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
  /** The caller's limit, counted in the round trip that checked the credential. */
  prepaidHit?: PrepaidHit;
}

/** The limit a request is counted against once its caller (actor key) is known. */
export type LimitFor = (caller: string) => Limit;

/**
 * Credentials that matched nobody, per client address: past `max` in the
 * window, an address's credentials not already known to this process are
 * refused with RATE_LIMITED before they cost a database lookup (issue 13).
 */
export const failedCredentialLimit = (address: string): Limit => ({
  key: `auth-failed:ip:${address}`,
  max: 20,
  windowSeconds: 5 * 60,
});

/** Who presents the credentials: the client address (null when unknown), read only when needed. */
export type AddressOf = () => string | null;

export interface AuthenticatorDeps {
  /** postgres.js itself, for the prepared lookups. */
  sql: postgres.Sql;
  db: Db;
  kv: KeyValueStore;
  cache: Cache;
  limiter: RateLimiter;
  log: Logger;
}

/** Past this, a principal is read from the database again even if its version says nothing changed. */
const MAX_AGE_MS = 5 * 60_000;

interface Resolved {
  principal: Principal | null;
  /** A session whose expiry slid forward on this request. */
  extended?: boolean;
  prepaidHit?: PrepaidHit;
}

/**
 * Turns what a request presents into an actor, once per process per credential:
 * a validated principal is kept in memory (principals.ts), and each later
 * request only checks its subject's version in the key-value store, in the
 * round trip that counts the caller's rate limit. A bumped version, an
 * unreadable store, or an entry read before its version send it to the
 * database again (Lucia, one prepared statement).
 */
export class Authenticator {
  private readonly principals = new PrincipalCache();
  private readonly background: BackgroundWrites;
  private readonly run: RunSql;
  private readonly sessions: SessionAdapter;
  private readonly lucia: ReturnType<typeof sessionLucia>;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.run = postgresRunner(deps.sql);
    this.background = new BackgroundWrites(deps.log);
    this.sessions = new SessionAdapter(this.run);
    this.lucia = sessionLucia(this.sessions);
    // This process's own changes take effect here at once, whatever the store does.
    deps.cache.onInvalidate((tags) => {
      for (const tag of tags) {
        const subject = subjectOfTag(tag);
        if (subject) this.principals.dropSubject(subject);
      }
    });
    // Versions bumped while the store was away were lost: trust nothing remembered.
    deps.kv.onRecover(() => this.principals.clear());
  }

  /**
   * A bearer credential that does not authenticate is a 401 everywhere (a
   * client must learn its token died); a dead cookie just makes a guest and is
   * cleared. With `limitFor`, the caller's limit is counted on the way.
   */
  async authenticate(creds: Credentials, limitFor?: LimitFor, from: AddressOf = () => null): Promise<Authenticated> {
    if (creds.bearer) {
      const kind = creds.bearer.startsWith("ck_") ? "apiKey" : "session";
      const { principal, prepaidHit } = await this.resolve(kind, creds.bearer, from, limitFor);
      if (!principal) throw new AppError("UNAUTHENTICATED", "Invalid, expired or revoked credentials");
      return { actor: actorOf(principal, "bearer"), prepaidHit };
    }
    if (creds.cookie) {
      const { principal, extended, prepaidHit } = await this.resolve("session", creds.cookie, from, limitFor);
      if (principal?.kind !== "session") return { actor: { kind: "guest" }, clearCookie: true };
      return {
        actor: actorOf(principal, "cookie"),
        prepaidHit,
        ...(extended && { refreshCookie: { token: creds.cookie, expiresAt: principal.expiresAt } }),
      };
    }
    return { actor: { kind: "guest" } };
  }

  private async resolve(
    kind: Principal["kind"],
    secret: string,
    from: AddressOf,
    limitFor?: LimitFor,
  ): Promise<Resolved> {
    const hash = hashToken(secret);
    const cached = this.principals.get(hash);
    // A credential not seen yet: only the database knows whose it is, so its row
    // is read before its subject's version. It serves this request, and is read
    // again before it is served from memory.
    const failures = () => failedCredentialLimit(from() ?? "unknown");
    if (!cached) await this.refuseRepeatedFailures(failures());
    const first = cached ? null : await this.load(kind, hash);
    const known = cached ?? first?.principal;
    if (!known) {
      await this.deps.limiter.hit(failures());
      return { principal: null };
    }

    const { version, prepaidHit } = await this.readVersion(known.subject, limitFor);
    let found: { principal: Principal | null; extended?: boolean } | null = first;
    if (cached && !servable(cached, version)) found = await this.load(kind, hash);
    if (found && !found.principal) {
      this.principals.delete(hash);
      await this.deps.limiter.hit(failures());
      return { principal: null, prepaidHit };
    }
    if (found?.principal) {
      // Read after the version only when it was cached already (see above).
      found.principal.guard = cached && version ? version : null;
      this.principals.set(hash, found.principal);
    }
    const principal = (found?.principal ?? cached) as Principal;
    const extended = found ? Boolean(found.extended) : this.slide(principal);
    if (principal.kind === "apiKey" && !found) this.touch(principal.keyId);
    return { principal, extended, prepaidHit };
  }

  /** An address past its failed credentials is refused before the database is asked. */
  private async refuseRepeatedFailures(failures: Limit): Promise<void> {
    const state = await this.deps.limiter.peek(failures);
    if (state.exceeded) throw rateLimited(state);
  }

  /** The subject's version (null: the store could not be read), and the limit counted in that round trip. */
  private async readVersion(
    subject: string,
    limitFor?: LimitFor,
  ): Promise<{ version: { version: string | null } | null; prepaidHit?: PrepaidHit }> {
    const key = tagKey(principalTag(subject));
    if (limitFor) {
      const limit = limitFor(subject);
      const { state, values } = await this.deps.limiter.hitAndRead(limit, [key]);
      return { version: values && { version: values[0] ?? null }, prepaidHit: new PrepaidHit(limit.key, state) };
    }
    const values = await this.deps.kv.mget([key]).catch(() => null);
    return { version: values && { version: values[0] ?? null } };
  }

  /**
   * Today's check, against the database. The writes it implies (a slid expiry,
   * "last used") ride along here, where the request waits for the database
   * anyway; from memory they are made off the request path (slide, touch).
   */
  private async load(
    kind: Principal["kind"],
    hash: string,
  ): Promise<{ principal: Principal | null; extended?: boolean }> {
    const readAt = Date.now();
    if (kind === "apiKey") {
      // One statement: the key, and its "last used" to the minute.
      const [key] = await this.run`
        with found as (select id, scopes from api_keys where key_hash = ${hash} and revoked_at is null),
        touched as (
          update api_keys set last_used_at = now() from found
          where api_keys.id = found.id
            and (api_keys.last_used_at is null or api_keys.last_used_at < now() - interval '1 minute')
        )
        select id, scopes from found`;
      if (!key) return { principal: null };
      const keyId = key.id as string;
      this.background.written(apiKeySubject(keyId));
      return {
        principal: { kind, subject: apiKeySubject(keyId), guard: null, readAt, keyId, scopes: key.scopes as string[] },
      };
    }
    const { session, user } = await this.lucia.validateSession(hash);
    if (!session || !user) return { principal: null };
    if (user.disabledAt) {
      await revokeAllSessions(this.deps, user.id);
      return { principal: null };
    }
    const principal: Principal = {
      kind,
      subject: userSubject(user.id),
      guard: null,
      readAt,
      userId: user.id,
      role: user.role,
      sessionId: session.id,
      expiresAt: session.expiresAt,
      profile: toMe(user),
    };
    return { principal, extended: session.fresh };
  }

  /** Lucia's sliding expiry for a session served from memory; the write happens off the request path. */
  private slide(principal: Principal): boolean {
    if (principal.kind !== "session") return false;
    const expiresAt = extendedExpiry(principal.expiresAt);
    if (!expiresAt) return false;
    principal.expiresAt = expiresAt;
    this.background.once(`session:${principal.sessionId}`, "session expiry", () =>
      this.sessions.updateSessionExpiration(principal.sessionId, expiresAt),
    );
    return true;
  }

  /** "Last used" to the minute: one write per key per minute, off the request path. */
  private touch(keyId: string): void {
    this.background.once(
      apiKeySubject(keyId),
      "api key last use",
      () => this.run`update api_keys set last_used_at = now()
        where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    );
  }
}

/** Whether a remembered principal may answer without the database: its version is the one read now. */
function servable(p: Principal, current: { version: string | null } | null): boolean {
  if (!current || !p.guard || p.guard.version !== current.version) return false;
  if (Date.now() - p.readAt >= MAX_AGE_MS) return false;
  return p.kind !== "session" || p.expiresAt.getTime() > Date.now();
}

function actorOf(p: Principal, via: "bearer" | "cookie"): Actor {
  if (p.kind === "apiKey") return { kind: "apiKey", keyId: p.keyId, scopes: p.scopes };
  const actor: Actor = { kind: "user", userId: p.userId, role: p.role, sessionId: p.sessionId, via };
  rememberProfile(actor, p.profile);
  return actor;
}
