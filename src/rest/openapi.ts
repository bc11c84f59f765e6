import { z } from "@hono/zod-openapi";
import type { Scope } from "../lib/access";
import { IdempotencyKey } from "../lib/operation";
import { Problem } from "./problem";

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

/** The response headers the server may send, registered once under `components.headers`. */
/** A header holding a count of requests or seconds. */
const count = (description: string) => ({
  description,
  schema: { type: "integer" as const, format: "int32", minimum: 0 },
});

export const RESPONSE_HEADERS = {
  "X-Request-Id": {
    description: "Names this request in the server's logs (the caller's own id when it sent a sane one)",
    schema: { type: "string", maxLength: 128 },
  },
  "RateLimit-Limit": count("Requests the caller's window allows (for a 429: of the limit that refused)"),
  "RateLimit-Remaining": count("Requests left in the caller's window"),
  "RateLimit-Reset": count("Seconds until the window starts again"),
  "Retry-After": count("Seconds to wait before retrying"),
  "Idempotent-Replayed": {
    description: "Present when this is the stored first response to the same Idempotency-Key",
    schema: { type: "string", const: "true" },
  },
  "Set-Cookie": {
    description: "The HttpOnly `session` cookie: set on sign-in, emptied with Max-Age=0 on sign-out",
    schema: { type: "string", maxLength: 4096 },
  },
  "Access-Control-Allow-Origin": {
    description: "The caller's Origin, when it is one of the configured CORS_ORIGINS (none by default)",
    schema: { type: "string", maxLength: 2048 },
  },
  Allow: {
    description: "The methods this path has",
    schema: { type: "string", maxLength: 100 },
  },
  ETag: {
    description:
      "A strong validator of the body (for anonymous callers): send it back as If-None-Match to get 304 while it is current",
    schema: { type: "string", maxLength: 64, pattern: '^"[0-9a-z]+"$' },
  },
  "Cache-Control": {
    description:
      "`public, max-age=N, stale-while-revalidate=M` on a public read answered to an anonymous caller (a CDN may keep it); `no-store` on everything else",
    schema: { type: "string", maxLength: 128, pattern: "^[a-z-]+(=\\d+)?(, [a-z-]+(=\\d+)?)*$" },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADERS;

const EVERY_RESPONSE: HeaderName[] = [
  "X-Request-Id",
  "Cache-Control",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "Access-Control-Allow-Origin",
];

/** The documented headers of a response: those every one may carry, then `extra`. */
export function responseHeaders(...extra: HeaderName[]) {
  const names = [...EVERY_RESPONSE, ...extra];
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/** A JSON success response. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string, ...headers: HeaderName[]) => ({
  description,
  headers: responseHeaders(...headers),
  content: { "application/json": { schema } },
});

const PROBLEM_DESCRIPTIONS = {
  400: "Invalid input; `errors` names each field",
  401: "Authentication required, or the credentials sent are not valid",
  403: "Not allowed for this caller",
  404: "Not found",
  405: "This path exists, but not with this method; `Allow` lists those it has",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "The body is not of the media type the operation reads",
  422: "Idempotency-Key reused with a different request",
  429: "Rate limited: see Retry-After and RateLimit-* headers",
  500: "Unexpected error (logged with the request id; the body names no cause)",
  503: "A dependency is unavailable; retry shortly",
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/**
 * The documented error responses of a route, all problem+json. Every route may
 * answer 401 (credentials that fail are refused before any route, public ones
 * included), 405 (another method on its path), 429 (the per-identity limit),
 * 500 and 503.
 */
export function problemResponses(...statuses: ProblemStatus[]) {
  const all = [...new Set<ProblemStatus>([...statuses, 401, 405, 429, 500, 503])].sort((a, b) => a - b);
  return Object.fromEntries(
    all.map((s) => [
      s,
      {
        description: PROBLEM_DESCRIPTIONS[s],
        headers: responseHeaders(...(s === 429 ? (["Retry-After"] as const) : s === 405 ? (["Allow"] as const) : [])),
        content: { "application/problem+json": { schema: Problem } },
      },
    ]),
  );
}

/** The conditional request of a public read (responses with an ETag). */
export const IF_NONE_MATCH = {
  in: "header" as const,
  name: "If-None-Match",
  required: false,
  description: "ETags of copies the caller holds (or `*`): 304 without a body when one is current",
  schema: { type: "string" as const, maxLength: 8192, pattern: '^(\\*|(W/)?"[^"]*"(\\s*,\\s*(W/)?"[^"]*")*)$' },
};

/** The answer to a conditional read whose copy is current: no body. */
export const notModifiedResponse = () => ({
  description: "The copy named in If-None-Match is current: no body",
  headers: responseHeaders("ETag"),
});

export const IdempotencyKeyHeader = z.object({
  "idempotency-key": IdempotencyKey.optional().openapi({
    description: "Replays the first response for 24 h when the same request is sent again",
  }),
});

/** A signed-in person: session bearer token or the browser's session cookie. */
export const SESSION_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
/** A staff session, or an API key holding `scope` (OpenAPI 3.1 lists it as the key's required role). */
export const keyOrSession = (scope: Scope): Record<string, string[]>[] => [{ apiKey: [scope] }, ...SESSION_SECURITY];

type Json = { [key: string]: unknown };
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null;
const REF = "#/components/schemas/";

/** Names of the component schemas `node` references, directly or through other components. */
function referencedSchemas(node: unknown, schemas: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) referencedSchemas(item, schemas, found);
  else if (isObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(REF)) {
        const name = value.slice(REF.length);
        if (!found.has(name)) {
          found.add(name);
          referencedSchemas(schemas[name], schemas, found);
        }
      } else referencedSchemas(value, schemas, found);
    }
  }
  return found;
}

/** Moves each property's `default` into its description, in a schema and the schemas inside it. */
function defaultsToText(node: unknown): void {
  if (Array.isArray(node)) node.forEach(defaultsToText);
  if (!isObject(node)) return;
  if (isObject(node.properties)) {
    for (const property of Object.values(node.properties)) {
      if (isObject(property) && "default" in property) {
        const text = `Default when left out: \`${JSON.stringify(property.default)}\`.`;
        const before = typeof property.description === "string" ? property.description.replace(/\.?$/, ". ") : "";
        property.description = before + text;
        delete property.default;
      }
    }
  }
  for (const value of Object.values(node)) defaultsToText(value);
}

/**
 * A field with a default may be left out of a request, and the document says
 * so (it is not `required`). But openapi-typescript, with its default options,
 * reads `default` on a property of a component schema as "always present" (true
 * of responses) and makes clients send it; it spares only schemas written
 * inline in a request body or parameter. So in the component schemas that only
 * requests use, each default moves into the property's description.
 */
export function withOptionalRequestDefaults<D extends object>(doc: D): D {
  const { paths, components } = doc as { paths?: Record<string, Json>; components?: { schemas?: Json } };
  const schemas = components?.schemas ?? {};
  const operations = Object.values(paths ?? {}).flatMap((item) => Object.values(item).filter(isObject));
  const inResponses = referencedSchemas(
    operations.map((op) => op.responses),
    schemas,
  );
  const inRequests = referencedSchemas(
    operations.map((op) => [op.requestBody, op.parameters]),
    schemas,
  );
  for (const name of inRequests) if (!inResponses.has(name)) defaultsToText(schemas[name]);
  return doc;
}
