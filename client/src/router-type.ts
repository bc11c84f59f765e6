/**
 * The server's router type, rebuilt so that its declarations stand alone
 * (stack-notes.md "TypeScript").
 *
 * The server's `AppRouter` carries the request context (database, cache and
 * logger clients) and names types declared in server files, so a `.d.ts` that
 * re-exports it only compiles next to the server and all its dependencies.
 * `describeRouter` returns the same router with context and meta replaced by
 * `object` and every input, output and error shape copied into anonymous
 * types. The helpers that make the copy are not exported, so tsc cannot name
 * them from `index.ts` and prints their results in full: the emitted
 * declarations import only `@trpc/server` and this file.
 *
 * `scripts/build.ts` checks the emitted declarations; when a new procedure's
 * types defeat the copy, the build fails and names the offending import.
 */
import type {
  AnyRouter,
  AnyTRPCProcedure,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";

declare const marker: unique symbol;

// A recursive type (a category tree) has no anonymous spelling. The copy marks
// each loop with the markers below, counting depth from the outermost copied
// type, and `Unfold` turns them into the `Recursive*` types, which tsc prints
// by name from this file. A loop may span several types (JSON values: arrays
// of records of arrays), hence `Env`: the enclosing loops, by depth.

/** Marker: the enclosing type at depth `N`. */
export interface Ref<N extends number> {
  readonly [marker]: ["ref", N];
}

/** Marker: object `Body` at depth `N`, which refers back to itself with `Ref<N>`. */
export interface Loop<Body, N extends number> {
  readonly [marker]: ["loop", Body, N];
}

/** Marker: array at depth `N` of elements `E`, which refer back to it with `Ref<N>`. */
export interface LoopArray<E, N extends number, IsReadonly extends boolean> {
  readonly [marker]: ["array", E, N, IsReadonly];
}

/** A recursive object type: `Body`, where `Ref<N>` is the whole. */
export type Recursive<Body, N extends number, Env> = {
  [K in keyof Body]: Unfold<Body[K], Env & Record<N, Recursive<Body, N, Env>>>;
};

/** A recursive array type: elements `E`, where `Ref<N>` is the whole array. */
export interface RecursiveArray<E, N extends number, Env>
  extends Array<Unfold<E, Env & Record<N, RecursiveArray<E, N, Env>>>> {}

/** A recursive read-only array type. */
export interface ReadonlyRecursiveArray<E, N extends number, Env>
  extends ReadonlyArray<Unfold<E, Env & Record<N, ReadonlyRecursiveArray<E, N, Env>>>> {}

type Unfold<T, Env> = 0 extends 1 & T
  ? T
  : T extends Opaque
    ? T
    : T extends Ref<infer N>
      ? Env extends Record<N, infer Whole>
        ? Whole
        : never
      : T extends Loop<infer Body, infer N>
        ? Recursive<Body, N, Env>
        : T extends LoopArray<infer E, infer N, infer IsReadonly>
          ? IsReadonly extends true
            ? ReadonlyRecursiveArray<E, N, Env>
            : RecursiveArray<E, N, Env>
          : T extends AsyncIterable<infer Y, infer R, infer X>
            ? AsyncIterable<Unfold<Y, Env>, Unfold<R, Env>, Unfold<X, Env>>
            : T extends object
              ? { [K in keyof T]: Unfold<T[K], Env> }
              : T;

/** Kept as they are: primitives, functions and the standard library's classes print by global name. */
type Opaque =
  | Primitive
  | Date
  | RegExp
  | ArrayBuffer
  | ArrayBufferView
  | ReadonlyMap<unknown, unknown>
  | ReadonlySet<unknown>
  | ((...args: never[]) => unknown);

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/**
 * A branded primitive (`string & z.$brand<"Id">`) as its primitive: the brand
 * is the server's type, and JSON carries the bare value.
 */
type Unbranded<T> = T extends string
  ? Exclude<keyof T, keyof string> extends never
    ? T
    : string
  : T extends number
    ? Exclude<keyof T, keyof number> extends never
      ? T
      : number
    : T extends bigint
      ? Exclude<keyof T, keyof bigint> extends never
        ? T
        : bigint
      : T extends boolean
        ? Exclude<keyof T, keyof boolean> extends never
          ? T
          : boolean
        : T;

type Same<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** The index of `T` in `Stack`, or `never`. */
type DepthOf<T, Stack extends unknown[], Seen extends unknown[] = []> = Stack extends [infer Head, ...infer Rest]
  ? Same<T, Head> extends true
    ? Seen["length"]
    : DepthOf<T, Rest, [...Seen, Head]>
  : never;

/**
 * `[copy, free]`: `T` copied with loop markers, and the depths of the
 * enclosing types (`Stack`) the copy still refers to.
 */
type Copy<T, Stack extends unknown[]> = 0 extends 1 & T ? [T, never] : T extends unknown ? CopyOne<T, Stack> : never;

type CopyOne<T, Stack extends unknown[]> = T extends Primitive
  ? [Unbranded<T>, never]
  : T extends Opaque
    ? [T, never]
    : [DepthOf<T, Stack>] extends [never]
      ? CopyNew<T, Stack>
      : [Ref<DepthOf<T, Stack>>, DepthOf<T, Stack>];

type CopyNew<T, Stack extends unknown[]> =
  T extends AsyncIterable<infer Y, infer R, infer X>
    ? [
        AsyncIterable<First<Copy<Y, Stack>>, First<Copy<R, Stack>>, First<Copy<X, Stack>>>,
        Second<Copy<Y | R | X, Stack>>,
      ]
    : T extends readonly unknown[]
      ? number extends T["length"]
        ? CopyArray<T, Stack["length"], Copy<T[number], [...Stack, T]>>
        : [{ [K in keyof T]: First<Copy<T[K], Stack>> }, Second<Copy<T[number], Stack>>]
      : T extends object
        ? CopyObject<
            { [K in keyof T as Unlinked<K>]: First<Copy<T[K], [...Stack, T]>> },
            Stack["length"],
            Second<Copy<T[keyof T], [...Stack, T]>>
          >
        : [T, never];

// A key renamed (even to itself) cuts the copied property's link to the server's
// declaration, whose type annotation tsc would otherwise print when the copy is
// equivalent to it (`status: OrderStatus`). Optional and readonly are kept.
type Unlinked<K> = K extends string ? `${K}` : K;

type CopyObject<Body, N extends number, Free> = N extends Free ? [Loop<Body, N>, Exclude<Free, N>] : [Body, Free];

type CopyArray<T extends readonly unknown[], N extends number, E> =
  N extends Second<E>
    ? [LoopArray<First<E>, N, T extends unknown[] ? false : true>, Exclude<Second<E>, N>]
    : [T extends unknown[] ? First<E>[] : readonly First<E>[], Second<E>];

type First<C> = C extends [infer T, unknown] ? T : never;
type Second<C> = C extends [unknown, infer F] ? F : never;

/** `T` as an anonymous type that names nothing from the server. */
type Plain<T> = Unfold<First<Copy<T, []>>, unknown>;

type ClientProcedure<P extends AnyTRPCProcedure, RootErrorShape> = {
  input: Plain<P["_def"]["$types"]["input"]>;
  output: Plain<P["_def"]["$types"]["output"]>;
  meta: object;
  // `unknown` makes the client fall back to the router's shape: printed once, not per procedure.
  errorShape: Same<P["_def"]["$types"]["errorShape"], RootErrorShape> extends true
    ? unknown
    : Plain<P["_def"]["$types"]["errorShape"]>;
};

type ClientRecord<R, RootErrorShape> = {
  [K in keyof R]: R[K] extends AnyTRPCProcedure
    ? R[K]["_def"]["type"] extends "query"
      ? TRPCQueryProcedure<ClientProcedure<R[K], RootErrorShape>>
      : R[K]["_def"]["type"] extends "mutation"
        ? TRPCMutationProcedure<ClientProcedure<R[K], RootErrorShape>>
        : TRPCSubscriptionProcedure<ClientProcedure<R[K], RootErrorShape>>
    : ClientRecord<R[K], RootErrorShape>;
};

type ClientRoot<T extends { errorShape: unknown; transformer: unknown }> = {
  ctx: object;
  meta: object;
  errorShape: Plain<T["errorShape"]>;
  transformer: T["transformer"];
};

/**
 * Router `R` as a client needs it: the same procedures, inputs, outputs and
 * error shapes, with context and meta replaced by `object`.
 *
 * Only its type matters (it returns nothing): `index.ts` calls it so that the
 * router type is inferred, which tsc then writes out in full, instead of
 * declared, which tsc would write as a reference to the server's files.
 */
export function describeRouter<R extends AnyRouter>(): TRPCBuiltRouter<
  ClientRoot<R["_def"]["_config"]["$types"]>,
  ClientRecord<R["_def"]["record"], R["_def"]["_config"]["$types"]["errorShape"]>
> {
  return undefined as never;
}
