import { OpenAPIHono } from "@hono/zod-openapi";
import { validationError } from "../lib/errors";
import { allOperations } from "../lib/module";
import { modules } from "../modules";
import type { RestApp, RestEnv } from "./env";
import { registerOperations } from "./operations";
import { problem } from "./problem";
import { rateLimitPerIdentity } from "./rate-limit";

export const API_VERSION = "0.1.0";

/** The REST facade under /api/v1: every module's declared operations, and the OpenAPI 3.1 document. */
export function createRestApp(): RestApp {
  const app = new OpenAPIHono<RestEnv>({
    // zod failures answer as problem+json naming each field, not a ZodError dump.
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, validationError(result.error.issues));
    },
  }).basePath("/api/v1") as RestApp;

  // Credentials that failed (or a refused cross-site request) end here, before any route.
  app.use("*", async (c, next) => {
    if (c.get("authFailure")) throw c.get("authFailure");
    await next();
  });
  app.use("*", rateLimitPerIdentity);

  registerOperations(
    app,
    allOperations(modules).map(([, op]) => op),
  );

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A session token from `POST /api/v1/auth/sessions` (customers, staff, admins).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "ck_<secret>",
    description:
      "A third party's API key, sent as `Authorization: Bearer ck_...`. Routes list the scope the key needs; a key without it gets 403 naming it.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "session",
    description: "The first-party browser session. Mutations from a foreign Origin are refused (CSRF).",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Cartwright API",
      version: API_VERSION,
      description:
        "Headless commerce REST facade. Money is integers in minor units; lists use cursor pagination; errors are RFC 9457 problem+json with a stable `code`.",
    },
    tags: modules.flatMap((m) => m.tags ?? []),
  });
  return app;
}
