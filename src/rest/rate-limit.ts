import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { limitCaller } from "../http/caller-limit";
import type { RestEnv } from "./env";

type SetHeader = (name: string, value: string) => void;

/**
 * Counts a limit (`count` throws RATE_LIMITED over it), runs the rest, then
 * adds the limit's RateLimit-* headers where the answer has none: a nearer
 * limit that refused this request (sign-in, an operation's own) describes
 * itself. Not set before the handler, since Hono copies headers set on an
 * early response (CORS makes one) over those of the error response that replaces it.
 */
export async function limitedThen(c: Context, count: (set: SetHeader) => Promise<void>, next: () => Promise<void>) {
  const headers: [string, string][] = [];
  await count((name, value) => headers.push([name, value]));
  await next();
  for (const [name, value] of headers) if (!c.res.headers.has(name)) c.header(name, value);
}

/** The general limit on every REST request, in the bucket tRPC calls share (src/http/caller-limit.ts). */
export const rateLimitPerIdentity = createMiddleware<RestEnv>((c, next) =>
  limitedThen(c, (set) => limitCaller(c.get("ctx"), set), next),
);
