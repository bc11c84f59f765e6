import { createMiddleware } from "hono/factory";
import type { Actor } from "../lib/context";
import { rateLimited, rateLimitHeaders } from "../lib/rate-limit";
import type { RestEnv } from "./env";

const identity = (actor: Actor, ip: string | null): string => {
  switch (actor.kind) {
    case "apiKey":
      return `key:${actor.keyId}`;
    case "user":
      return `user:${actor.userId}`;
    default:
      return `ip:${ip ?? "unknown"}`;
  }
};

/**
 * The REST facade's general limit: API_RATE_LIMIT_PER_MINUTE per API key,
 * per signed-in user, or per IP for anonymous callers. Every response says
 * where the caller stands (RateLimit-* headers).
 */
export const rateLimitPerIdentity = createMiddleware<RestEnv>(async (c, next) => {
  const { ctx } = c.var;
  const state = await ctx.limiter.hit({
    key: `api:${identity(ctx.actor, ctx.ip)}`,
    max: c.var.config.API_RATE_LIMIT_PER_MINUTE,
    windowSeconds: 60,
  });
  if (state.exceeded) throw rateLimited(state);
  await next();
  // A stricter limit that answered this request (sign-in, ...) keeps its own headers.
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) {
    if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  }
});
