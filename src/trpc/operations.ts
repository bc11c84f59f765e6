import type { z } from "zod";
import { limitCaller, limitOperation } from "../http/caller-limit";
import { runOperation } from "../http/run-operation";
import type { Ctx } from "../lib/context";
import {
  type AnyOperation,
  checkAccess,
  IDEMPOTENCY_KEY_FIELD,
  isOperation,
  type Operation,
  type OperationTree,
  type OutputOf,
} from "../lib/operation";
import type { TrpcCtx, TrpcSettings } from "./context";
import { publicProcedure } from "./init";

type Resolve<I, R> = (ctx: TrpcCtx, input: I) => Promise<R>;

// One builder per shape, so that TypeScript infers each procedure's exact type
// from tRPC itself (ProcedureOf below), as if it were written by hand.
const gate = (op: AnyOperation) =>
  publicProcedure.use(async ({ ctx, next }) => {
    await admit(ctx, op, ctx.resHeaders);
    return next();
  });
const queryWithInput = <I extends z.ZodType, R>(op: AnyOperation, input: I, resolve: Resolve<z.output<I>, R>) =>
  gate(op)
    .input(input)
    .query(({ ctx, input }) => resolve(ctx, input as z.output<I>));
const mutationWithInput = <I extends z.ZodType, R>(op: AnyOperation, input: I, resolve: Resolve<z.output<I>, R>) =>
  gate(op)
    .input(input)
    .mutation(({ ctx, input }) => resolve(ctx, input as z.output<I>));
const queryWithoutInput = <R>(op: AnyOperation, resolve: Resolve<undefined, R>) =>
  gate(op).query(({ ctx }) => resolve(ctx, undefined));
const mutationWithoutInput = <R>(op: AnyOperation, resolve: Resolve<undefined, R>) =>
  gate(op).mutation(({ ctx }) => resolve(ctx, undefined));

/** The tRPC procedure an operation declaration becomes. */
export type ProcedureOf<Op> =
  Op extends Operation<infer K, infer I, infer O>
    ? I extends z.ZodType
      ? K extends "query"
        ? ReturnType<typeof queryWithInput<I, OutputOf<O>>>
        : ReturnType<typeof mutationWithInput<I, OutputOf<O>>>
      : K extends "query"
        ? ReturnType<typeof queryWithoutInput<OutputOf<O>>>
        : ReturnType<typeof mutationWithoutInput<OutputOf<O>>>
    : never;

/** A tree of declarations as tRPC's nested router record. */
export type ProceduresOf<T> = {
  [K in keyof T as T[K] extends { trpc: false } ? never : K]: T[K] extends AnyOperation
    ? ProcedureOf<T[K]>
    : ProceduresOf<T[K]>;
};

/** Where a call's response headers go: tRPC's response headers, or the public-query path's own. */
export interface CallHeaders {
  set(name: string, value: string): void;
  append(name: string, value: string): void;
}

/**
 * A call's gate, before its input is parsed: an early 401/403, and one bucket per caller
 * shared with REST, then the operation's own limit.
 */
export async function admit(ctx: Ctx, op: AnyOperation, headers: CallHeaders): Promise<void> {
  const set = (name: string, value: string) => headers.set(name, value);
  checkAccess(ctx.actor, op.access);
  await limitCaller(ctx, set);
  await limitOperation(ctx, op, set);
}

/** A call's run, once admitted and its input parsed. */
export function resolveCall(
  op: AnyOperation,
  ctx: Ctx,
  input: unknown,
  headers: CallHeaders,
  settings: TrpcSettings,
): Promise<unknown> {
  // The key travels in the input here (REST: a header); the operation gets its declared input.
  const { [IDEMPOTENCY_KEY_FIELD]: key, ...declared } = (op.idempotent ? input : {}) as Record<string, unknown>;
  return runOperation(
    ctx,
    op,
    op.idempotent ? declared : input,
    {
      appendHeader: (name, value) => headers.append(name, value),
      secureCookies: settings.secureCookies,
      checkOutput: settings.checkOutputs,
    },
    key as string | undefined,
  );
}

/** Builds the procedure of one declaration: gate, input, the shared run. */
export function procedureFor<Op extends AnyOperation>(op: Op): ProcedureOf<Op> {
  const resolve = (ctx: TrpcCtx, input: unknown) => resolveCall(op, ctx, input, ctx.resHeaders, ctx);
  const built = op.input
    ? op.kind === "query"
      ? queryWithInput(op, op.input, resolve)
      : mutationWithInput(op, op.input, resolve)
    : op.kind === "query"
      ? queryWithoutInput(op, resolve)
      : mutationWithoutInput(op, resolve);
  return built as ProcedureOf<Op>;
}

/** The procedures of a tree of declarations; REST-only operations are left out. */
export function proceduresFor<T extends OperationTree>(tree: T): ProceduresOf<T> {
  const record: Record<string, unknown> = {};
  for (const [name, node] of Object.entries(tree)) {
    if (isOperation(node)) {
      if (node.trpc !== false) record[name] = procedureFor(node);
    } else record[name] = proceduresFor(node);
  }
  return record as ProceduresOf<T>;
}
