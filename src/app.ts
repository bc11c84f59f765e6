import { trpcServer } from "@hono/trpc-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Deps } from "./deps";
import { noStoreUnlessChosen } from "./http/cache-control";
import { MUTATING, requestContext, secureCookies } from "./http/request-context";
import { AppError, toAppError } from "./lib/errors";
import { newId } from "./lib/ids";
import { type CheckStatus, healthRoutes, readyForStaff } from "./ops/health";
import { docsRoutes } from "./rest/docs";
import type { RestEnv } from "./rest/env";
import { createRestApp } from "./rest/index";
import { problem } from "./rest/problem";
import { type TrpcCtx, trpcContext } from "./trpc/context";
import { publicQueries } from "./trpc/public-queries";
import { refusalHeaders } from "./trpc/refusal-headers";
import { appRouter } from "./trpc/router";

export type AppDeps = Pick<
  Deps,
  "config" | "log" | "database" | "embedded" | "kv" | "cache" | "limiter" | "search" | "payments" | "store" | "modes"
> & {
  workerStatus: () => CheckStatus;
};

// The headers that matter for a JSON API (OWASP REST Security): HSTS, nosniff, no framing,
// no referrer, same-origin resources. The HTML-only ones cost time on every response and buy nothing here.
const SECURE_HEADERS = {
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
} as const;

/** The most calls one tRPC request may batch; a larger batch is refused whole, before any call runs. */
export const TRPC_MAX_BATCH = 20;

/** The whole HTTP surface: middleware, then /trpc, /api/v1, /docs, /health and /ready. */
export function createApp(deps: AppDeps) {
  const { config, log } = deps;
  // `/api/v1/categories/` is `/api/v1/categories`: a trailing slash never turns a route into a 404 or a 405.
  const app = new Hono<RestEnv>({ strict: false });

  app.use(requestId({ headerName: "X-Request-Id", limitLength: 128, generator: newId }));
  // A handler that answers with its own Response (tRPC's adapter) drops headers set before it.
  app.use(async (c, next) => {
    await next();
    if (!c.res.headers.has("X-Request-Id")) c.res.headers.set("X-Request-Id", c.get("requestId"));
  });
  app.use(secureHeaders(SECURE_HEADERS));
  app.use(noStoreUnlessChosen);
  // Liveness and readiness probes need no caller, CORS, body checks or request log: mounted before them.
  const health = { ...deps, readyToken: config.READY_TOKEN };
  app.route("/", healthRoutes(health));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        requestId: c.get("requestId"),
      },
      "request",
    );
  });
  if (config.CORS_ORIGINS.length > 0) {
    app.use(cors({ origin: config.CORS_ORIGINS, credentials: true, exposeHeaders: ["X-Request-Id", "Retry-After"] }));
  }
  const limitBody = bodyLimit({
    maxSize: config.BODY_LIMIT_BYTES,
    onError: (c) =>
      problem(c, new AppError("PAYLOAD_TOO_LARGE", `Bodies are limited to ${config.BODY_LIMIT_BYTES} bytes`)),
  });
  // Only requests that carry a body pay for the check.
  app.use((c, next) => (MUTATING.has(c.req.method) ? limitBody(c, next) : next()));

  app.use(requestContext(deps));
  // /ready with credentials, once they are known: details for staff.
  app.get("/ready", readyForStaff(health));

  app.route("/", createRestApp());
  app.route("/", docsRoutes());
  const trpcSettings = { secureCookies: secureCookies(config), checkOutputs: config.NODE_ENV === "test" };
  app.use("/trpc/*", publicQueries(trpcSettings, TRPC_MAX_BATCH));
  app.use(
    "/trpc/*",
    trpcServer({
      router: appRouter,
      endpoint: "/trpc",
      maxBatchSize: TRPC_MAX_BATCH,
      createContext: (opts, c) =>
        trpcContext(c.get("ctx"), c.get("authFailure"), opts.resHeaders, trpcSettings) as TrpcCtx &
          Record<string, unknown>,
      responseMeta: ({ errors, ctx }) => {
        const headers = refusalHeaders(errors);
        if (!headers) return {};
        if (ctx) for (const [name, value] of Object.entries(headers)) ctx.resHeaders.set(name, value);
        return ctx ? {} : { headers: new Headers(headers) };
      },
    }),
  );

  const methodsFor = allowedMethods(app);
  app.notFound((c) => {
    const allowed = methodsFor(c.req.path);
    if (allowed.length > 0) {
      return problem(c, new AppError("METHOD_NOT_ALLOWED", `${c.req.method} is not allowed here`), {
        Allow: allowed.join(", "),
      });
    }
    return problem(c, new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`));
  });

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      // Hono's validator and body parsing: malformed JSON and the like.
      const code = err.status === 413 ? "PAYLOAD_TOO_LARGE" : err.status === 400 ? "BAD_REQUEST" : null;
      if (code) return problem(c, new AppError(code, err.message || "Bad request"));
    }
    const { error, unexpected } = toAppError(err);
    if (unexpected) (c.get("ctx")?.log ?? log).error({ err, path: c.req.path }, "unhandled error");
    return problem(c, error);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Which methods a path answers to, from the registered routes: turns a miss into 405 with Allow. */
function allowedMethods(app: Hono<RestEnv>) {
  let table: { method: string; pattern: RegExp }[] | null = null;
  return (path: string): string[] => {
    table ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({
        method: r.method,
        pattern: new RegExp(
          `^${r.path
            .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
            .replace(/:\w+/g, "[^/]+")
            .replace(/\*/g, ".*")}/?$`,
        ),
      }));
    return [...new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  };
}
