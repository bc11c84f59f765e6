import { createMiddleware } from "hono/factory";
import { assertAdmin } from "../lib/access";
import type { RestEnv } from "./env";

/** An early, documented 401/403 before the body is even validated; the service checks again. */
export const adminOnly = createMiddleware<RestEnv>(async (c, next) => {
  assertAdmin(c.var.ctx.actor);
  await next();
});
