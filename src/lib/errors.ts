import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { constraintField } from "../db/schema/constraints";

/** The closed list of error codes (api.md "Errors"), with their HTTP status and tRPC code. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, trpc: "BAD_REQUEST", title: "Validation failed" },
  BAD_REQUEST: { status: 400, trpc: "BAD_REQUEST", title: "Bad request" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED", title: "Authentication required" },
  PAYMENT_FAILED: { status: 402, trpc: "PAYMENT_REQUIRED", title: "Payment failed" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN", title: "Forbidden" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND", title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, trpc: "METHOD_NOT_SUPPORTED", title: "Method not allowed" },
  CONFLICT: { status: 409, trpc: "CONFLICT", title: "Conflict" },
  OUT_OF_STOCK: { status: 409, trpc: "CONFLICT", title: "Out of stock" },
  PRICE_CHANGED: { status: 409, trpc: "CONFLICT", title: "Price changed" },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: "PAYLOAD_TOO_LARGE", title: "Payload too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, trpc: "UNSUPPORTED_MEDIA_TYPE", title: "Unsupported media type" },
  COUPON_INVALID: { status: 422, trpc: "UNPROCESSABLE_CONTENT", title: "Coupon invalid" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, trpc: "UNPROCESSABLE_CONTENT", title: "Idempotency key reused" },
  RATE_LIMITED: { status: 429, trpc: "TOO_MANY_REQUESTS", title: "Too many requests" },
  INTERNAL: { status: 500, trpc: "INTERNAL_SERVER_ERROR", title: "Internal server error" },
  SERVICE_UNAVAILABLE: { status: 503, trpc: "SERVICE_UNAVAILABLE", title: "Service unavailable" },
} as const satisfies Record<string, { status: number; trpc: TRPC_ERROR_CODE_KEY; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

export interface ErrorDetails {
  errors?: FieldError[];
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** At most this many field errors are listed; the rest are counted (a body of 95,000 unknown keys answers a few KB). */
export const MAX_FIELD_ERRORS = 20;
// A path is the client's own key, up to the body limit long: cut so that one huge key cannot inflate the answer.
const MAX_PATH_LENGTH = 200;

const clip = (path: string) => (path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path);

/**
 * Field errors from zod issues, with dotted paths (`lines.0.quantity`), each path once (its first
 * issue); each unknown key is named on its own (zod's one issue lists them all in its message).
 */
function fieldErrors(issues: readonly ZodLikeIssue[]): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const i of issues) {
    const at = i.path.map(String);
    const found =
      i.code === "unrecognized_keys" && i.keys
        ? i.keys.map((key) => ({ path: clip([...at, key].join(".")), message: `Unknown field: ${clip(key)}` }))
        : [{ path: clip(at.join(".") || "(root)"), message: i.message }];
    for (const e of found) if (!seen.has(e.path)) seen.set(e.path, e);
  }
  return [...seen.values()];
}

/**
 * Zod issues as VALIDATION_FAILED naming each field once: the only such mapping (REST's hook, tRPC
 * inputs, services). Past MAX_FIELD_ERRORS the rest are counted in `omittedErrors` and the detail.
 */
export function validationError(issues: readonly ZodLikeIssue[]): AppError {
  const all = fieldErrors(issues);
  const errors = all.slice(0, MAX_FIELD_ERRORS);
  const omitted = all.length - errors.length;
  const named = errors.map((e) => e.path).join(", ");
  const more = omitted > 0 ? ` and ${omitted} more` : "";
  return new AppError("VALIDATION_FAILED", `Invalid input: ${named}${more}`, {
    errors,
    ...(omitted > 0 && { omittedErrors: omitted }),
  });
}

// SQLSTATE classes that mean the database is unreachable or going away, and
// postgres.js/node error codes for a dead socket.
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_NET = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ENOTFOUND",
]);

/**
 * The one place database failures become domain errors. Constraint names are internals and stay
 * out of the error: the registry beside the tables (db/schema/constraints.ts) names the field.
 * Unique -> CONFLICT, missing reference -> NOT_FOUND, still referenced/check/serialization/deadlock
 * -> CONFLICT, a data exception -> VALIDATION_FAILED, unreachable -> SERVICE_UNAVAILABLE. Anything else: null.
 */
export function fromDatabaseError(err: unknown): AppError | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    const field = constraintField((e as { constraint_name?: string }).constraint_name);
    switch (code) {
      case "23505":
        return field
          ? new AppError("CONFLICT", `${field} is already taken`, {
              errors: [{ path: field, message: "Already taken" }],
            })
          : new AppError("CONFLICT", "A unique value is already taken");
      case "23503":
        if (/still referenced/.test(String((e as { detail?: string }).detail))) {
          return new AppError("CONFLICT", "The record is still referenced by others");
        }
        // NOT_FOUND, not VALIDATION_FAILED: services check the ids a client sends first (createCategory's
        // parentId), so reaching this means a row went away meanwhile (a concurrent delete, the actor's account).
        return field
          ? new AppError("NOT_FOUND", `${field} refers to a record that does not exist`, {
              errors: [{ path: field, message: "Does not exist" }],
            })
          : new AppError("NOT_FOUND", "A referenced record does not exist");
      case "23001": // ON DELETE RESTRICT
        return new AppError("CONFLICT", "The record is still referenced by others");
      case "23514":
        return new AppError("CONFLICT", "The change breaks a data rule");
      case "40001":
      case "40P01":
        return new AppError("CONFLICT", "Concurrent update, please retry");
    }
    // Class 22, data exception: a value Postgres cannot take (malformed text for a type, out of range,
    // too long, not encodable). Schemas check inputs first, so this is what slipped past them: the
    // client's doing, a 400. The message stays generic, as Postgres' own quotes the value and the SQL.
    if (/^22[0-9A-Z]{3}$/.test(code)) {
      return new AppError("VALIDATION_FAILED", "Invalid input: a value is malformed or out of range");
    }
    if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NET.has(code)) {
      return new AppError("SERVICE_UNAVAILABLE", "The database is unavailable, please retry shortly");
    }
  }
  return null;
}

/** Any thrown value as an AppError; unknown failures become a bare INTERNAL. */
export function toAppError(err: unknown): { error: AppError; unexpected: boolean } {
  if (err instanceof AppError) return { error: err, unexpected: false };
  // A tRPC input, or a service re-parsing its input: bad input from a job or another service is a 400, not a 500.
  if (err instanceof Error && err.name === "ZodError" && Array.isArray((err as { issues?: unknown }).issues)) {
    return { error: validationError((err as unknown as { issues: ZodLikeIssue[] }).issues), unexpected: false };
  }
  const mapped = fromDatabaseError(err);
  if (mapped) return { error: mapped, unexpected: mapped.code === "SERVICE_UNAVAILABLE" };
  return { error: new AppError("INTERNAL", "An unexpected error occurred"), unexpected: true };
}

/** What a client is told about a failure, on either transport. */
export interface ClientError {
  code: ErrorCode;
  /** REST's `detail`, tRPC's `message`. */
  message: string;
  errors?: FieldError[];
  /** The error's other details: `missingScope`, a rate limit's numbers. */
  extra: Record<string, unknown>;
  /** Nobody planned for it: log the cause with the request id. */
  unexpected: boolean;
}

/** The one translation of any thrown value into what a client is told, shared by REST and tRPC. */
export function clientError(thrown: unknown): ClientError {
  const { error, unexpected } = toAppError(thrown);
  const { errors, ...extra } = error.details ?? {};
  return { code: error.code, message: error.message, ...(errors && { errors }), extra, unexpected };
}

/** A 400 about one field, for a check zod cannot make (it needs the database or another field). */
export const fieldError = (path: string, message: string): AppError =>
  new AppError("VALIDATION_FAILED", message, { errors: [{ path, message }] });
