import { TRPCError } from "@trpc/server";
import type { Ctx } from "../lib/context";
import { type AppError, ERROR_CODES } from "../lib/errors";

/** The service ctx plus what only a tRPC procedure needs: response headers, for session cookies. */
export interface TrpcCtx extends Ctx {
  resHeaders: Headers;
  secureCookies: boolean;
  /** Tests only: every output must match its declared schema exactly. */
  checkOutputs: boolean;
}

/** How tRPC runs in this process. */
export type TrpcSettings = Pick<TrpcCtx, "secureCookies" | "checkOutputs">;

/** Per request; a credential failure answers as a tRPC error before any procedure runs. */
export function trpcContext(
  ctx: Ctx,
  authFailure: AppError | null,
  resHeaders: Headers,
  settings: TrpcSettings,
): TrpcCtx {
  if (authFailure) {
    throw new TRPCError({ code: ERROR_CODES[authFailure.code].trpc, message: authFailure.message, cause: authFailure });
  }
  return { ...ctx, resHeaders, ...settings };
}
