import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { requireAdmin, requireStaff, requireUser, type Scope } from "../lib/access";
import type { RestEnv } from "./env";
import { keyOrSession, SESSION_SECURITY } from "./openapi";

// Early, documented 401/403 before the body is even validated; the service checks again.

/** A signed-in customer, staff or admin. */
export const signedIn = createMiddleware<RestEnv>(async (c, next) => {
  requireUser(c.get("ctx").actor);
  await next();
});

/** A staff or admin session, or an API key with `scope`. */
export const staffOnly = (scope?: Scope) =>
  createMiddleware<RestEnv>(async (c, next) => {
    requireStaff(c.get("ctx").actor, scope);
    await next();
  });

/** An admin session. */
export const adminOnly = createMiddleware<RestEnv>(async (c, next) => {
  requireAdmin(c.get("ctx").actor);
  await next();
});

// Route metadata that keeps the documented security and the enforced guard together.

/** For a signed-in person: session bearer token or cookie. */
export const forSignedIn = { security: SESSION_SECURITY, middleware: [signedIn] };

/** For admins' sessions. */
export const forAdmins = { security: SESSION_SECURITY, middleware: [adminOnly] };

/** For staff sessions, and API keys holding `scope` when there is one; `more` middleware runs after the guard. */
export const forStaff = (scope?: Scope, ...more: MiddlewareHandler<RestEnv>[]) => ({
  security: scope ? keyOrSession(scope) : SESSION_SECURITY,
  middleware: [staffOnly(scope), ...more],
});
