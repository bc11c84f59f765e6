import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Ctx } from "../lib/context";

/** Variables every request carries, set by the app's middleware. */
export interface RestEnv {
  Variables: {
    ctx: Ctx;
    requestId: string;
  };
}

export type RestApp = OpenAPIHono<RestEnv>;
