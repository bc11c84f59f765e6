import { createMiddleware } from "hono/factory";
import { requireAdmin, requireStaff, requireUser, type Scope } from "../lib/access";
import type { RestEnv } from "./env";

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
