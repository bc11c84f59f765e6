import { timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Database } from "../db/client";
import type { EmbeddedPostgres } from "../db/embedded";
import type { CatalogSearch } from "../lib/catalog-search";
import type { Actor } from "../lib/context";
import { withDeadline } from "../lib/deadline";
import type { KeyValueStore } from "../lib/kv";
import { SESSION_COOKIE } from "../modules/identity/sessions";
import type { RestEnv } from "../rest/env";

export type CheckStatus = "ok" | "degraded" | "down" | "disabled";

export interface HealthDeps {
  database: Database;
  kv: KeyValueStore;
  /** Typesense degraded (Postgres answering in its place) shows here, with why for those allowed details. */
  search: Pick<CatalogSearch, "health">;
  workerStatus: () => CheckStatus;
  modes: Record<string, string>;
  embedded: EmbeddedPostgres | null;
  /** READY_TOKEN: sent as `X-Ready-Token`, it shows /ready's details to a probe or script. */
  readyToken?: string;
}

/** The header that carries READY_TOKEN (not Authorization: it is no session, and must not cost a lookup). */
export const READY_TOKEN_HEADER = "X-Ready-Token";

/**
 * /health: the process is alive. /ready: 503 only when Postgres is down. Everyone gets `{status}`;
 * the checks, modes and the embedded Postgres's directories and port go to READY_TOKEN and staff
 * sessions only (who asks is known after authentication: see `readyForStaff`).
 */
export function healthRoutes(deps: HealthDeps) {
  const readiness = readinessOf(deps);
  const tokenMatches = tokenCheck(deps.readyToken);
  return new Hono()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c, next) => {
      if (tokenMatches(c.req.header(READY_TOKEN_HEADER))) return readiness(c, true);
      // Someone with credentials may be staff: answered after authentication, by readyForStaff.
      if (c.req.header("authorization") || getCookie(c, SESSION_COOKIE)) return next();
      return readiness(c, false);
    });
}

/** /ready for a caller with credentials, mounted after authentication: details for staff and admins. */
export function readyForStaff(deps: HealthDeps): MiddlewareHandler<RestEnv> {
  const readiness = readinessOf(deps);
  return (c) => readiness(c, isStaff(c.get("ctx").actor));
}

const isStaff = (actor: Actor) => actor.kind === "user" && (actor.role === "staff" || actor.role === "admin");

function tokenCheck(expected: string | undefined) {
  const want = expected && Buffer.from(expected);
  return (given: string | undefined) => {
    if (!want || !given) return false;
    const got = Buffer.from(given);
    return got.length === want.length && timingSafeEqual(got, want);
  };
}

function readinessOf(deps: HealthDeps) {
  // Where the embedded Postgres keeps its data and binaries, for people and scripts allowed to see it.
  const e = deps.embedded;
  const embedded = e && {
    embeddedPostgres: {
      dataDir: e.dir,
      binDir: e.binDir,
      port: e.port,
      ...(e.movedBecause && { movedBecause: e.movedBecause }),
    },
  };
  return async (c: Context, details: boolean) => {
    const [postgres, redis, search] = await Promise.all([
      withDeadline(
        deps.database.db.execute(sql`select 1`).then((): CheckStatus => "ok"),
        1500,
        "no answer",
      ).catch((): CheckStatus => "down"),
      deps.kv.kind === "memory"
        ? ("disabled" as const)
        : deps.kv.ping().then((up): CheckStatus => (up ? "ok" : "down")),
      // An adapter's health is bounded by its own client timeouts; a bug in one must not fail /ready.
      deps.search.health().catch((err: Error) => ({ status: "down" as const, detail: err.message })),
    ]);
    const checks = { postgres, redis, search: search.status, worker: deps.workerStatus() };
    const why = search.detail ? { details: { search: search.detail } } : {};
    const healthy = Object.values(checks).every((s) => s === "ok" || s === "disabled");
    const status = postgres === "down" ? "down" : healthy ? "ok" : "degraded";
    const code = postgres === "down" ? 503 : 200;
    return details
      ? c.json({ status, checks, ...why, modes: deps.modes, ...embedded }, code)
      : c.json({ status }, code);
  };
}
