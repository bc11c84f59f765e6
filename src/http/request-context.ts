import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/bun";
import { getCookie } from "hono/cookie";
import type { Config } from "../config";
import type { Deps } from "../deps";
import type { Ctx } from "../lib/context";
import { AppError } from "../lib/errors";
import type { Logger } from "../lib/logger";
import { type Authenticated, Authenticator } from "../modules/identity/authenticate";
import { writeSessionCookie } from "../modules/identity/cookie";
import { SESSION_COOKIE } from "../modules/identity/sessions";
import type { RestEnv } from "../rest/env";
import { callerLimit } from "./caller-limit";

export const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Cookies are Secure everywhere but plain-HTTP development and tests. */
export const secureCookies = (config: Config) => config.NODE_ENV === "production";

/**
 * Builds the request's ctx: who is calling (session cookie, bearer session or
 * API key), from where, and whether a cookie-authenticated mutation came from
 * a foreign Origin (CSRF). A credential failure (or an address refused for
 * too many) is kept in `authFailure` for each transport to answer in its own shape. The client address and the
 * request's logger are made when first used.
 */
export function requestContext(
  deps: Pick<Deps, "config" | "log" | "database" | "kv" | "cache" | "limiter" | "search" | "payments" | "store">,
): MiddlewareHandler<RestEnv> {
  const secure = secureCookies(deps.config);
  const allowedOrigins = new Set(
    [...deps.config.CORS_ORIGINS, deps.config.PUBLIC_URL].filter(Boolean).map((o) => new URL(o as string).origin),
  );
  const authenticator = new Authenticator({ ...deps, sql: deps.database.sql, db: deps.database.db });
  const perMinute = deps.limiter.perCallerPerMinute;
  const limitFor = (caller: string) => callerLimit(caller, perMinute);
  return async (c, next) => {
    const requestId = c.get("requestId");
    let auth: Authenticated = { actor: { kind: "guest" } };
    let failure: AppError | null = null;
    let ip: string | null | undefined;
    const address = () => {
      if (ip === undefined) ip = clientIp(c, deps.config.TRUST_PROXY);
      return ip;
    };
    try {
      auth = await authenticator.authenticate(
        {
          bearer: c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1],
          cookie: getCookie(c, SESSION_COOKIE),
        },
        // Only these count against the caller's limit (src/rest, src/trpc): elsewhere nothing is counted ahead.
        LIMITED.test(c.req.path) ? limitFor : undefined,
        address,
      );
    } catch (err) {
      // A dead credential, or an address refused for too many of them.
      if (!(err instanceof AppError && (err.code === "UNAUTHENTICATED" || err.code === "RATE_LIMITED"))) throw err;
      failure = err;
    }
    const { actor } = auth;
    if (actor.kind === "user" && actor.via === "cookie" && MUTATING.has(c.req.method) && !sameSite(c, allowedOrigins)) {
      failure = new AppError("FORBIDDEN", "Cross-site request refused: this Origin may not use the session cookie");
    }
    let log: Logger | undefined;
    const cartToken = c.req.header("x-cart-token");
    const orderToken = c.req.header("x-order-token");
    const ctx: Ctx = {
      db: deps.database.db,
      cache: deps.cache,
      limiter: deps.limiter,
      search: deps.search,
      payments: deps.payments,
      store: deps.store,
      requestId,
      actor,
      ...(auth.prepaidHit && { prepaidHit: auth.prepaidHit }),
      ...(cartToken && { cartToken }),
      ...(orderToken && { orderToken }),
      get log() {
        log ??= deps.log.child({ requestId });
        return log;
      },
      get ip() {
        return address();
      },
    };
    c.set("ctx", ctx);
    c.set("authFailure", failure);
    c.set("config", deps.config);
    await next();
    if (auth.refreshCookie || auth.clearCookie) {
      writeSessionCookie((name, value) => c.res.headers.append(name, value), auth.refreshCookie ?? null, secure);
    }
  };
}

const LIMITED = /^\/(api|trpc)\//;

/** The Origin (or, lacking it, the Referer) is this server or an allowlisted frontend. */
function sameSite(c: Context, allowed: Set<string>): boolean {
  const source = c.req.header("origin") ?? c.req.header("referer");
  if (!source) return false;
  let origin: string;
  try {
    origin = new URL(source).origin;
  } catch {
    return false;
  }
  return origin === new URL(c.req.url).origin || allowed.has(origin);
}

function clientIp(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // No socket behind this request (app.fetch in-process).
    return null;
  }
}
