import { TRPCClientError } from "@trpc/client";
import { type AppError, toAppError } from "../src/lib/errors";

/** The error a service call failed with, as a transport would report it (database failures translated). */
export async function serviceError(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (err) {
    return toAppError(err).error;
  }
  throw new Error("expected the call to fail");
}

/** The tRPC error a call failed with; `data` carries the contract's `code`, `httpStatus` and field `errors`. */
export async function trpcError(call: Promise<unknown>): Promise<{ message: string; data: Record<string, any> }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof TRPCClientError) return err as unknown as { message: string; data: Record<string, any> };
    throw err;
  }
  throw new Error("expected a tRPC error");
}
