import { initTRPC, TRPCError } from "@trpc/server";
import { requireAdmin, requireStaff, requireUser } from "../lib/access";
import { AppError, ERROR_CODES, fieldErrors, toAppError } from "../lib/errors";
import type { TrpcCtx } from "./context";

interface ZodLike {
  issues: { path: PropertyKey[]; message: string }[];
}
const isZodError = (e: unknown): e is ZodLike => Array.isArray((e as ZodLike | undefined)?.issues);

const t = initTRPC.context<TrpcCtx>().create({
  // Clients get the contract's `code` and field errors, never a stack (stack-notes.md).
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const base = {
      code: error.code as string,
      httpStatus: shape.data.httpStatus,
      path: shape.data.path,
      requestId: ctx?.requestId,
    };
    if (isZodError(cause)) {
      const errors = fieldErrors(cause.issues);
      const message = `Invalid input: ${errors.map((e) => e.path).join(", ")}`;
      return { ...shape, message, data: { ...base, code: "VALIDATION_FAILED", errors } };
    }
    if (cause instanceof AppError) {
      return { ...shape, data: { ...base, ...cause.details, code: cause.code } };
    }
    return { ...shape, data: base };
  },
});

/** Services throw AppError; tRPC answers with the matching TRPCError. Unknown failures are logged and hidden. */
const translateErrors = t.middleware(async ({ ctx, next, path }) => {
  const result = await next();
  if (result.ok || result.error.code !== "INTERNAL_SERVER_ERROR" || !result.error.cause) return result;
  const { error, unexpected } = toAppError(result.error.cause);
  if (unexpected) ctx.log.error({ err: result.error.cause, path }, "unhandled error in procedure");
  throw new TRPCError({ code: ERROR_CODES[error.code].trpc, message: error.message, cause: error });
});

export const router = t.router;
export const publicProcedure = t.procedure.use(translateErrors);

// The tiers give an early, documented 401/403; the service checks again (style.md "Authorization").
/** A signed-in customer, staff or admin. */
export const customerProcedure = publicProcedure.use(({ ctx, next }) => {
  requireUser(ctx.actor);
  return next();
});
/** Staff or admin. */
export const staffProcedure = publicProcedure.use(({ ctx, next }) => {
  requireStaff(ctx.actor);
  return next();
});
/** Admin only. */
export const adminProcedure = publicProcedure.use(({ ctx, next }) => {
  requireAdmin(ctx.actor);
  return next();
});
