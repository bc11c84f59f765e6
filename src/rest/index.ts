import { OpenAPIHono } from "@hono/zod-openapi";
import { validationError } from "../lib/errors";
import { allOperations } from "../lib/module";
import { API_BASE } from "../lib/operation";
import { modules } from "../modules";
import type { RestApp, RestEnv } from "./env";
import { RESPONSE_HEADERS, withOptionalRequestDefaults } from "./openapi";
import { registerOperations } from "./operations";
import { problem } from "./problem";
import { rateLimitPerIdentity } from "./rate-limit";

export const API_VERSION = "0.1.0";

// The session is one token however it travels; an API key is told apart by its scheme type, though it
// travels in the same header (a generator that fills `apiKey` sends the value as given: `Bearer ck_...`).
const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    description:
      "A session token from `POST /api/v1/auth/sessions` (customers, staff, admins): `Authorization: Bearer <token>`.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "session",
    description:
      "The first-party browser session, set by `POST /api/v1/auth/sessions` (HttpOnly). Mutations from a foreign Origin are refused (CSRF).",
  },
  apiKey: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description:
      "A third party's API key from `POST /api/v1/admin/api-keys`, sent as the whole header value `Bearer ck_...` (the `Bearer ` prefix included). Routes list the scope the key needs; a key without it gets 403 naming it in `missingScope`.",
  },
  cartToken: {
    type: "apiKey",
    in: "header",
    name: "X-Cart-Token",
    description:
      "A guest cart's secret, answered once by `POST /api/v1/carts` (as `token`): it proves the caller holds that cart. Signed-in customers need none for their own cart; `POST /carts/{id}/merge` takes the guest cart's.",
  },
} as const;

const DOCUMENT: Parameters<RestApp["getOpenAPI31Document"]>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Cartwright API",
    version: API_VERSION,
    description:
      "Headless commerce REST facade. Money is integers in minor units; lists use cursor pagination; errors are RFC 9457 problem+json with a stable `code`. Every response carries `X-Request-Id` and the caller's `RateLimit-*` headers.",
    contact: { name: "Cartwright API team", url: "https://cartwright.dev/support", email: "api@cartwright.dev" },
    license: { name: "Proprietary", url: "https://cartwright.dev/terms" },
  },
  // Relative: the document is served by the API it describes, in every environment.
  servers: [
    { url: "/", description: "The server this document came from (local, staging or production)", "x-internal": false },
  ],
  tags: modules.flatMap((m) => m.tags ?? []),
};

/** The OpenAPI 3.1 document of a REST app, as /api/v1/openapi.json serves it. */
export function openApiDocument(app: RestApp = createRestApp()) {
  return withOptionalRequestDefaults(app.getOpenAPI31Document(DOCUMENT));
}

/**
 * The REST facade under /api/v1 (and a provider's webhooks under /webhooks): every module's
 * declared operations, and the OpenAPI 3.1 document. Paths are registered whole (lib/operation.ts
 * restPath), so the document names each as it is served.
 */
export function createRestApp(): RestApp {
  const app = new OpenAPIHono<RestEnv>({
    // zod failures answer as problem+json naming each field, not a ZodError dump.
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, validationError(result.error.issues));
    },
  });

  // Callers of the API: credentials that failed (or a refused cross-site request) end here, before
  // any route, then the caller's limit. A webhook carries no caller's credential, only its signature.
  const api = `${API_BASE}/*`;
  app.use(api, async (c, next) => {
    if (c.get("authFailure")) throw c.get("authFailure");
    await next();
  });
  app.use(api, rateLimitPerIdentity);

  registerOperations(
    app,
    allOperations(modules).map(([, op]) => op),
  );

  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) {
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  }
  for (const [name, header] of Object.entries(RESPONSE_HEADERS)) {
    app.openAPIRegistry.registerComponent("headers", name, header);
  }
  // Served with this server's own origin (PUBLIC_URL behind a proxy): a relative "/" joined to
  // paths that start with "/" gives "//api/v1/..." in clients such as /docs' Test Request.
  app.get(`${API_BASE}/openapi.json`, (c) =>
    c.json({
      ...openApiDocument(app),
      servers: [{ url: c.get("config").PUBLIC_URL ?? new URL(c.req.url).origin, description: "This server" }],
    }),
  );
  return app;
}
