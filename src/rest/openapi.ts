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

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input; `errors` names each field",
  401: "Authentication required",
  403: "Not allowed for this caller",
  404: "Not found",
  409: "Conflicts with the current state",
  413: "Body too large",
  415: "The body is not of the media type the operation reads",
  422: "Idempotency-Key reused with a different request",
  429: "Rate limited: see Retry-After and RateLimit-* headers",
  500: "Unexpected error (logged with the request id; the body names no cause)",
  503: "A dependency is unavailable; retry shortly",
};

/** The documented error responses of a route, all problem+json; every route may answer 429 (the per-identity limit), 500 and 503. */
export function problemResponses(...statuses: (keyof typeof PROBLEM_DESCRIPTIONS)[]) {
  return Object.fromEntries(
    [...new Set([...statuses, 429, 500, 503])].sort().map((s) => [
      s,
      {
        description: PROBLEM_DESCRIPTIONS[s] ?? "Error",
        content: { "application/problem+json": { schema: Problem } },
      },
    ]),
  );
}

export const IdempotencyKeyHeader = z.object({
  "idempotency-key": IdempotencyKey.optional().openapi({
    description: "Replays the first response for 24 h when the same request is sent again",
  }),
});

/** A signed-in person: session bearer token or the browser's session cookie. */
export const SESSION_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
/** A staff session, or an API key holding `scope` (OpenAPI 3.1 lists it as the key's required role). */
export const keyOrSession = (scope: Scope): Record<string, string[]>[] => [{ apiKey: [scope] }, ...SESSION_SECURITY];
