import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AppError, clientError, ERROR_CODES } from "../lib/errors";
import { rateLimitHeaders } from "../lib/rate-limit";

export const Problem = z
  .object({
    type: z.string().openapi({ example: "https://cartwright.dev/problems/not-found" }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: "Category not found" }),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]).openapi({ example: "NOT_FOUND" }),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    missingScope: z.string().optional().openapi({ description: "The API key scope the operation needs" }),
    available: z.number().int().optional().openapi({ description: "OUT_OF_STOCK: the units still available" }),
    reason: z.string().optional().openapi({
      description:
        "COUPON_INVALID: not_found, expired, not_started, minimum_not_met, usage_limit_reached, not_eligible or not_combinable",
    }),
    couponCode: z.string().optional().openapi({ description: "COUPON_INVALID: the code refused" }),
    total: z.number().int().optional().openapi({ description: "PRICE_CHANGED: the order's total now" }),
    orderStatus: z.string().optional().openapi({ description: "CONFLICT about an order: the status it is in" }),
    refundable: z.number().int().optional().openapi({ description: "A refund too large: what can still be refunded" }),
    omittedErrors: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: "How many more field errors there were beyond those listed in `errors`" }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

export type ProblemBody = z.infer<typeof Problem>;

/** The problem+json body for an error: the shared translation (clientError), in RFC 9457's words. */
export function problemBody(error: AppError, requestId: string): ProblemBody {
  const { code, message, errors, extra } = clientError(error);
  const { status, title } = ERROR_CODES[code];
  return {
    type: `https://cartwright.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title,
    status,
    detail: message,
    code,
    requestId,
    ...(errors && { errors }),
    // The other details the Problem schema documents; a rate limit's numbers travel as headers.
    ...(typeof extra.missingScope === "string" && { missingScope: extra.missingScope }),
    ...(typeof extra.available === "number" && { available: extra.available }),
    ...(typeof extra.reason === "string" && { reason: extra.reason }),
    ...(typeof extra.couponCode === "string" && { couponCode: extra.couponCode }),
    ...(typeof extra.total === "number" && { total: extra.total }),
    ...(typeof extra.orderStatus === "string" && { orderStatus: extra.orderStatus }),
    ...(typeof extra.refundable === "number" && { refundable: extra.refundable }),
    ...(typeof extra.omittedErrors === "number" && { omittedErrors: extra.omittedErrors }),
  };
}

/** Headers an error implies: Retry-After and RateLimit-* for RATE_LIMITED. */
export function problemHeaders(error: AppError): Record<string, string> {
  const d = error.details as { limit?: number; remaining?: number; reset?: number } | undefined;
  if (error.code !== "RATE_LIMITED" || d?.reset === undefined) return {};
  return rateLimitHeaders({ limit: d.limit ?? 0, remaining: 0, reset: d.reset, exceeded: true }, true);
}

/** The one way REST answers with an error: application/problem+json. */
export function problem(c: Context, error: AppError, headers: Record<string, string> = {}): Response {
  const body = problemBody(error, c.get("requestId") ?? "");
  return c.body(JSON.stringify(body), body.status as 400, {
    ...problemHeaders(error),
    ...headers,
    "Content-Type": "application/problem+json",
  });
}
