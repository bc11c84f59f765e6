import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../config";
import type { Ctx } from "../lib/context";
import type { AppError } from "../lib/errors";

/** Variables every request carries, set by the app's middleware. */
export interface RestEnv {
  Variables: {
    ctx: Ctx;
    requestId: string;
    /** Credentials that failed, or a refused cross-site request; each transport answers it. */
    authFailure: AppError | null;
    config: Config;
  };
}

export type RestApp = OpenAPIHono<RestEnv>;
