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

/** Services throw AppError; tRPC answers with the matching TRPCError. Unknown failures are logged and hidden. */
const translateErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  // What a procedure throws arrives as INTERNAL_SERVER_ERROR, a rejected input as BAD_REQUEST (its ZodError as cause).
  if (result.ok || !result.error.cause) return result;
  const { error, unexpected } = toAppError(result.error.cause);
  // A code tRPC chose itself stands when its cause means nothing to us.
  if (unexpected && result.error.code !== "INTERNAL_SERVER_ERROR") return result;
  if (unexpected) ctx.log.error({ err: result.error.cause, path }, "unhandled error in procedure");
  throw new TRPCError({ code: ERROR_CODES[error.code].trpc, message: error.message, cause: error });
});

export const router = t.router;
export const publicProcedure = t.procedure.use(translateErrors);
