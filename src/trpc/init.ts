import { initTRPC, TRPCError } from "@trpc/server";
import { AppError, clientError, ERROR_CODES, toAppError } from "../lib/errors";
import type { TrpcCtx } from "./context";

const t = initTRPC.context<TrpcCtx>().create({
  // Clients get the contract's `code` and field errors, never a stack (stack-notes.md).
  errorFormatter({ shape, error, ctx }) {
    const base = {
      code: error.code as string,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      requestId: ctx?.requestId,
    };
    // translateErrors leaves an AppError as the cause; tRPC's own failures (no such procedure) keep tRPC's code.
    if (!(error.cause instanceof AppError)) return { ...shape, data: base };
    const { code, message, errors, extra } = clientError(error.cause);
    return { ...shape, message, data: { ...base, ...extra, ...(errors && { errors }), code } };
  },
});

/**
 * The TRPCError a failed call answers with: the matching code for an AppError (what a procedure
 * throws arrives as INTERNAL_SERVER_ERROR, a rejected input as BAD_REQUEST with its ZodError as
 * cause). Unknown failures are logged and hidden.
 */
export function translateError(failure: TRPCError, ctx: Pick<TrpcCtx, "log">, path: string): TRPCError {
  if (!failure.cause) return failure;
  const { error, unexpected } = toAppError(failure.cause);
  // A code tRPC chose itself stands when its cause means nothing to us.
  if (unexpected && failure.code !== "INTERNAL_SERVER_ERROR") return failure;
  if (unexpected) ctx.log.error({ err: failure.cause, path }, "unhandled error in procedure");
  return new TRPCError({ code: ERROR_CODES[error.code].trpc, message: error.message, cause: error });
}

/** Services throw AppError; tRPC answers with the matching TRPCError. */
const translateErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const translated = translateError(result.error, ctx, path);
  if (translated === result.error) return result;
  throw translated;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(translateErrors);
