import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { limitOperation } from "../http/caller-limit";
import { cacheControlOf, encodeOnce, notModified, publiclyCacheable } from "../http/public-cache";
import { secureCookies } from "../http/request-context";
import { runOperation } from "../http/run-operation";
import { AppError } from "../lib/errors";
import {
  type Access,
  type AnyOperation,
  checkAccess,
  type PublicCache,
  type RestBinding,
  restPath,
} from "../lib/operation";
import type { RestApp, RestEnv } from "./env";
import {
  IdempotencyKeyHeader,
  IF_NONE_MATCH,
  jsonBody,
  jsonResponse,
  keyOrSession,
  notModifiedResponse,
  type ProblemStatus,
  problemResponses,
  responseHeaders,
  SESSION_SECURITY,
} from "./openapi";
import { limitedThen } from "./rate-limit";

/** Registers the REST route of every operation that has one, in order. */
export function registerOperations(app: RestApp, operations: AnyOperation[]): void {
  for (const op of operations) {
    if (op.rest) app.openapi(routeFor(op, op.rest), handlerFor(op, op.rest) as never);
  }
}

/** Where each part of the input comes from: the path, the query string, headers or the body. */
function inputParts(op: AnyOperation, rest: RestBinding) {
  const headers = op.idempotent ? IdempotencyKeyHeader.extend(rest.headers?.shape ?? {}) : rest.headers;
  if (rest.params || rest.query || rest.body || rest.consumes || !op.input) {
    return { params: rest.params, query: rest.query, body: rest.body, headers };
  }
  return rest.method === "get" ? { query: op.input, headers } : { body: op.input, headers };
}

function routeFor(op: AnyOperation, rest: RestBinding) {
  const { params, query, body, headers } = inputParts(op, rest);
  const implied: ProblemStatus[] = [
    ...(op.input ? [400 as const] : []),
    // A cookie-authenticated change from a foreign Origin is refused (CSRF), on public routes too.
    ...(op.access.who !== "anyone" || rest.method !== "get" ? [403 as const] : []),
    ...(op.idempotent ? [422 as const] : []),
    // Any change may carry a body, read or not: the size limit and the media-type check apply to all.
    ...(rest.method !== "get" ? [413 as const, 415 as const] : []),
  ];
  return createRoute({
    method: rest.method,
    path: restPath(rest),
    operationId: rest.operationId,
    tags: [rest.tag],
    summary: rest.summary,
    ...(rest.description && { description: rest.description }),
    security: securityOf(op.access),
    // Documented, not validated: a conditional header the server cannot use is ignored, never a 400.
    ...(op.publicCache && { parameters: [IF_NONE_MATCH] }),
    // The guard runs before the input is validated: a caller without access learns nothing about the body.
    middleware: [
      guard(op),
      mediaType(rest.consumes?.contentType ?? "application/json", Boolean(body && rest.consumes)),
    ],
    request: {
      ...(headers && { headers }),
      ...(params && { params: params as z.ZodObject }),
      ...(query && { query: query as z.ZodObject }),
      ...(body && { body: jsonBody(body) }),
      ...(rest.consumes && { body: textBody(rest.consumes.contentType) }),
      ...(body && rest.consumes && { body: jsonOrTextBody(body, rest.consumes.contentType) }),
    },
    responses: {
      [rest.status]: successResponse(op, rest),
      ...(op.publicCache && { 304: notModifiedResponse() }),
      ...problemResponses(...implied, ...(rest.errors ?? [])),
    },
  });
}

function handlerFor(op: AnyOperation, rest: RestBinding) {
  const { params, query, body, headers } = inputParts(op, rest);
  return async (c: Context<RestEnv>) => {
    const valid = (target: string) => (c.req.valid as (t: string) => object).call(c.req, target);
    const { "idempotency-key": key, ...fromHeaders } = (headers ? valid("header") : {}) as Record<string, string>;
    const raw = rest.consumes &&
      isRaw(c, rest.consumes.contentType, Boolean(body)) && {
        [rest.consumes.field]: await c.req.text(),
      };
    const input = op.input
      ? {
          ...(params && valid("param")),
          ...(query && valid("query")),
          ...(body && valid("json")),
          ...(rest.headers && fromHeaders),
          ...raw,
        }
      : undefined;
    const ctx = c.get("ctx");
    const output = await runOperation(
      ctx,
      op,
      input,
      {
        appendHeader: (name, value) => c.header(name, value, { append: true }),
        secureCookies: secureCookies(c.get("config")),
        checkOutput: c.get("config").NODE_ENV === "test",
      },
      key,
    );
    if (rest.status === 204 || !op.output) return c.body(null, rest.status);
    if (publiclyCacheable(op, ctx.actor)) return publicAnswer(c, op.publicCache, output as object, rest.status);
    if (rest.produces) {
      const { body: produced, contentType } = producedBody(output as Produced, rest.produces);
      return c.body(produced, rest.status, { "Content-Type": contentType });
    }
    return c.json(output as object, rest.status);
  };
}

/** A public read's body as cached beside its data, with its ETag; 304 when the caller's copy is current. */
function publicAnswer(c: Context<RestEnv>, policy: PublicCache, output: object, status: 200 | 201 | 202) {
  const { body, etag } = encodeOnce(output);
  c.header("ETag", etag);
  c.header("Cache-Control", cacheControlOf(policy));
  if (notModified(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  return c.body(body, status, { "Content-Type": "application/json" });
}

function successResponse(op: AnyOperation, rest: RestBinding) {
  const headers = [
    ...(op.idempotent ? (["Idempotent-Replayed"] as const) : []),
    ...(op.session ? (["Set-Cookie"] as const) : []),
  ];
  if (rest.status === 204 || !op.output) return { description: rest.responds, headers: responseHeaders(...headers) };
  if (rest.produces) {
    return {
      description: rest.responds,
      headers: responseHeaders(...headers),
      content: Object.fromEntries(
        [rest.produces].flat().map((type) => [type, { schema: { type: "string" as const } }]),
      ),
    };
  }
  return jsonResponse(op.output, rest.responds, ...headers, ...(op.publicCache ? (["ETag"] as const) : []));
}

/** What an operation with `produces` answers: the body alone (of its one media type), or the body with the type it chose. */
type Produced =
  | string
  | ReadableStream<Uint8Array>
  | { contentType: string; body: string | ReadableStream<Uint8Array> };

function producedBody(output: Produced, produces: string | readonly string[]) {
  if (typeof output === "object" && "contentType" in output) return output;
  return { body: output, contentType: [produces].flat()[0] ?? "application/octet-stream" };
}

const textBody = (contentType: string) => ({
  required: true,
  content: { [contentType]: { schema: { type: "string" as const } } },
});

/**
 * A JSON body or a raw one (a CSV import of what JSON rows also say). Not required for the validator's
 * sake: it then checks the JSON only when the body is JSON, and the raw text goes to the operation's field.
 */
const jsonOrTextBody = (schema: z.ZodType, contentType: string) => ({
  required: false,
  content: { "application/json": { schema }, [contentType]: { schema: { type: "string" as const } } },
});

const isJson = (type: string) => /^application\/([\w.+-]*\+)?json\b/i.test(type);

/** Whether the body goes to the operation raw: always when that is all it reads, else when it is of that type. */
const isRaw = (c: Context<RestEnv>, contentType: string, alsoJson: boolean) =>
  !alsoJson || (c.req.header("content-type") ?? "").toLowerCase().startsWith(contentType);

/** A body, when there is one, must be of the media type the operation reads, or JSON too when `orJson` (415 otherwise). */
const mediaType = (expected: string, orJson = false) => {
  const raw = (type: string) => type.toLowerCase().startsWith(expected);
  const accepts = expected === "application/json" ? isJson : orJson ? (type: string) => raw(type) || isJson(type) : raw;
  return createMiddleware<RestEnv>(async (c, next) => {
    const hasBody = c.req.raw.body !== null && c.req.header("content-length") !== "0";
    if (hasBody && !accepts(c.req.header("content-type") ?? "")) {
      throw new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Send the body as ${orJson ? `${expected} or application/json` : expected}`,
      );
    }
    await next();
  });
};

const guard = (op: AnyOperation) =>
  createMiddleware<RestEnv>(async (c, next) => {
    checkAccess(c.get("ctx").actor, op.access);
    if (!op.limit) return next();
    await limitedThen(c, (set) => limitOperation(c.get("ctx"), op, set), next);
  });

/** The documented security: what the guard accepts; none for public operations. */
function securityOf(access: Access) {
  if (access.who === "anyone") return [];
  // `{}` first: a guest with no credential at all may call it too.
  if (access.who === "shopper") return [{}, { cartToken: [] }, ...SESSION_SECURITY];
  return access.who === "staff" && access.scope ? keyOrSession(access.scope) : SESSION_SECURITY;
}
