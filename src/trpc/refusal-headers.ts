import type { TRPCError } from "@trpc/server";
import { AppError } from "../lib/errors";
import { problemHeaders } from "../rest/problem";

/**
 * The RateLimit-* and Retry-After headers of the limit that refused one of these calls, or
 * null: they win over the general limit's headers, as on REST.
 */
export function refusalHeaders(errors: TRPCError[]): Record<string, string> | null {
  const limited = errors.map((e) => e.cause).find((e) => e instanceof AppError && e.code === "RATE_LIMITED");
  return limited instanceof AppError ? problemHeaders(limited) : null;
}
