import { createMiddleware } from "hono/factory";
import { limitCaller } from "../http/caller-limit";
import type { RestEnv } from "./env";

/**
 * The general limit on every REST request, in the bucket tRPC calls share
 * (src/http/caller-limit.ts). Headers are set before the handler, so a
 * stricter limit answering this request (sign-in, ...) passes its own, which win.
 */
export const rateLimitPerIdentity = createMiddleware<RestEnv>(async (c, next) => {
  await limitCaller(c.get("ctx"), (name, value) => c.header(name, value));
  await next();
});
