import { createMiddleware } from "hono/factory";
import { actorKey } from "../lib/context";
import { rateLimited, rateLimitHeaders } from "../lib/rate-limit";
import type { RestEnv } from "./env";

/**
 * The REST facade's general limit: API_RATE_LIMIT_PER_MINUTE per API key,
 * per signed-in user, or per IP for anonymous callers. Every response says
 * where the caller stands (RateLimit-* headers).
 */
export const rateLimitPerIdentity = createMiddleware<RestEnv>(async (c, next) => {
  const { ctx } = c.var;
  const state = await ctx.limiter.hit({
    key: `api:${actorKey(ctx.actor) ?? `ip:${ctx.ip ?? "unknown"}`}`,
    max: c.get("config").API_RATE_LIMIT_PER_MINUTE,
    windowSeconds: 60,
  });
  if (state.exceeded) throw rateLimited(state);
  // Set before the handler, so they are merged as the response is built; a stricter limit
  // that answers this request (sign-in, ...) passes its own headers, which win.
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) c.header(name, value);
  await next();
});
