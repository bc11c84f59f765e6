import { actorKey, type Ctx } from "../lib/context";
import { type Limit, rateLimited, rateLimitHeaders } from "../lib/rate-limit";

/** The general limit of one caller: an actor key (`user:<id>`, `key:<id>`) or, for a guest, `ip:<address>`. */
export const callerLimit = (caller: string, perMinute: number): Limit => ({
  key: `api:${caller}`,
  max: perMinute,
  windowSeconds: 60,
});

/**
 * The general limit: one bucket per API key, signed-in user, or anonymous IP,
 * shared by REST and every tRPC call (a batch of 100 calls counts 100). Says
 * where the caller stands in RateLimit-* headers; over the limit, RATE_LIMITED.
 * The request's first check may have been counted already, with its credentials.
 */
export async function limitCaller(ctx: Ctx, setHeader: (name: string, value: string) => void): Promise<void> {
  const limit = callerLimit(actorKey(ctx.actor) ?? `ip:${ctx.ip ?? "unknown"}`, ctx.limiter.perCallerPerMinute);
  const state = ctx.prepaidHit?.take(limit.key) ?? (await ctx.limiter.hit(limit));
  if (state.exceeded) throw rateLimited(state);
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) setHeader(name, value);
}
