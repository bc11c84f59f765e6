import { actorKey, type Ctx } from "../lib/context";
import { rateLimited, rateLimitHeaders } from "../lib/rate-limit";

/**
 * The general limit: one bucket per API key, signed-in user, or anonymous IP,
 * shared by REST and every tRPC call (a batch of 100 calls counts 100). Says
 * where the caller stands in RateLimit-* headers; over the limit, RATE_LIMITED.
 */
export async function limitCaller(ctx: Ctx, setHeader: (name: string, value: string) => void): Promise<void> {
  const state = await ctx.limiter.hit({
    key: `api:${actorKey(ctx.actor) ?? `ip:${ctx.ip ?? "unknown"}`}`,
    max: ctx.limiter.perCallerPerMinute,
    windowSeconds: 60,
  });
  if (state.exceeded) throw rateLimited(state);
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) setHeader(name, value);
}
