import { type Ctx, callerKey } from "../lib/context";
import type { Operation } from "../lib/operation";
import { type Limit, type LimitState, rateLimited, rateLimitHeaders } from "../lib/rate-limit";

type SetHeader = (name: string, value: string) => void;

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
export async function limitCaller(ctx: Ctx, setHeader: SetHeader): Promise<void> {
  const limit = callerLimit(callerKey(ctx), ctx.limiter.perCallerPerMinute);
  answer(ctx.prepaidHit?.take(limit.key) ?? (await ctx.limiter.hit(limit)), setHeader);
}

/**
 * An operation's own limit (`limit` in its declaration), after the general
 * one: its RateLimit-* headers replace the general limit's, being the nearer.
 */
export async function limitOperation(ctx: Ctx, op: Pick<Operation, "limit">, setHeader: SetHeader): Promise<void> {
  if (!op.limit) return;
  const limit = { key: `op:${op.limit.name}:${callerKey(ctx)}`, max: op.limit.perMinute, windowSeconds: 60 };
  answer(await ctx.limiter.hit(limit), setHeader);
}

function answer(state: LimitState, setHeader: SetHeader): void {
  if (state.exceeded) throw rateLimited(state);
  for (const [name, value] of Object.entries(rateLimitHeaders(state))) setHeader(name, value);
}
