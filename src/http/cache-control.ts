import type { MiddlewareHandler } from "hono";

/**
 * `Cache-Control: no-store` on every response but those that chose their own policy (the docs'
 * script): what the API answers may depend on who asks (a session, an API key, /ready's details),
 * and a shared cache must not hand it to the next caller. A response that sets a cookie is
 * never cacheable, whatever it chose.
 */
export const noStoreUnlessChosen: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control") || c.res.headers.has("Set-Cookie")) {
    c.res.headers.set("Cache-Control", "no-store");
  }
};
