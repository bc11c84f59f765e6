import { createMiddleware } from "hono/factory";
import { actorKey } from "../lib/context";
import { AppError } from "../lib/errors";
import * as idempotency from "../lib/idempotency";
import type { RestEnv } from "./env";

/**
 * Honours `Idempotency-Key` on a route (api.md "Idempotency"): the same key and
 * body replay the first successful response; the same key with another body is
 * 422. Failed requests free the key, since they had no effect to protect.
 */
export const idempotent = () =>
  createMiddleware<RestEnv>(async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (key.length < 1 || key.length > 255) {
      throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 characters", {
        errors: [{ path: "Idempotency-Key", message: "Must be 1 to 255 characters" }],
      });
    }
    const ctx = c.get("ctx");
    const body = await c.req.text();
    const requestHash = new Bun.CryptoHasher("sha256").update(`${c.req.method} ${c.req.path}\n${body}`).digest("hex");
    const request = { scope: actorKey(ctx.actor) ?? "guest", key, requestHash };

    const claimed = await idempotency.claim(ctx, request);
    if (claimed.kind === "replay") {
      return c.json(claimed.body as object, claimed.status as 200, { "Idempotent-Replayed": "true" });
    }
    try {
      await next();
    } finally {
      if (c.res.ok) await idempotency.complete(ctx, request, c.res.status, await c.res.clone().json());
      else await idempotency.release(ctx, request);
    }
  });
