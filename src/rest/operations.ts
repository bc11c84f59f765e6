import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { secureCookies } from "../http/request-context";
import { runOperation } from "../http/run-operation";
import { type Access, type AnyOperation, checkAccess, type RestBinding } from "../lib/operation";
import type { RestApp, RestEnv } from "./env";
import {
  IdempotencyKeyHeader,
  jsonBody,
  jsonResponse,
  keyOrSession,
  problemResponses,
  SESSION_SECURITY,
} from "./openapi";

/** Registers the REST route of every operation that has one, in order. */
export function registerOperations(app: RestApp, operations: AnyOperation[]): void {
  for (const op of operations) {
    if (op.rest) app.openapi(routeFor(op, op.rest), handlerFor(op, op.rest) as never);
  }
}

/** Where each part of the input comes from: the path, the query string or the JSON body. */
function inputParts(op: AnyOperation, rest: RestBinding) {
  if (rest.params || rest.query || rest.body || !op.input)
    return { params: rest.params, query: rest.query, body: rest.body };
  return rest.method === "get" ? { query: op.input } : { body: op.input };
}

function routeFor(op: AnyOperation, rest: RestBinding) {
  const { params, query, body } = inputParts(op, rest);
  const implied = [
    ...(op.input ? [400 as const] : []),
    ...(op.access.who === "anyone" ? [] : [401 as const, 403 as const]),
    ...(op.idempotent ? [422 as const] : []),
  ];
  return createRoute({
    method: rest.method,
    path: rest.path,
    operationId: rest.operationId,
    tags: [rest.tag],
    summary: rest.summary,
    ...(rest.description && { description: rest.description }),
    ...(op.access.who !== "anyone" && { security: securityOf(op.access) }),
    // The guard runs before the input is validated: a caller without access learns nothing about the body.
    middleware: [guard(op.access)],
    request: {
      ...(op.idempotent && { headers: IdempotencyKeyHeader }),
      ...(params && { params: params as z.ZodObject }),
      ...(query && { query: query as z.ZodObject }),
      ...(body && { body: jsonBody(body) }),
    },
    responses: {
      ...(rest.status === 204 || !op.output
        ? { [rest.status]: { description: rest.responds } }
        : { [rest.status]: jsonResponse(op.output, rest.responds) }),
      ...problemResponses(...implied, ...(rest.errors ?? [])),
    },
  });
}

function handlerFor(op: AnyOperation, rest: RestBinding) {
  const { params, query, body } = inputParts(op, rest);
  return async (c: Context<RestEnv>) => {
    const valid = (target: string) => (c.req.valid as (t: string) => object).call(c.req, target);
    const input = op.input
      ? { ...(params && valid("param")), ...(query && valid("query")), ...(body && valid("json")) }
      : undefined;
    const key = op.idempotent ? (valid("header") as { "idempotency-key"?: string })["idempotency-key"] : undefined;
    const output = await runOperation(
      c.get("ctx"),
      op,
      input,
      {
        appendHeader: (name, value) => c.header(name, value, { append: true }),
        secureCookies: secureCookies(c.get("config")),
        checkOutput: c.get("config").NODE_ENV === "test",
      },
      key,
    );
    return rest.status === 204 || !op.output ? c.body(null, rest.status) : c.json(output as object, rest.status);
  };
}

const guard = (access: Access) =>
  createMiddleware<RestEnv>(async (c, next) => {
    checkAccess(c.get("ctx").actor, access);
    await next();
  });

/** The documented security: what the guard accepts. */
function securityOf(access: Access) {
  return access.who === "staff" && access.scope ? keyOrSession(access.scope) : SESSION_SECURITY;
}
