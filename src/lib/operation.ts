import { z } from "zod";
import { requireAdmin, requireShopper, requireStaff, requireUser, type Scope } from "./access";
import type { Actor, Ctx } from "./context";

/**
 * Who may call an operation: checked by both transports before the input is
 * read (an early, documented 401/403), and again by the service itself.
 */
export type Access =
  | { who: "anyone" }
  /** A signed-in person. `owns`: the input's `id` names one of the caller's own rows of this resource. */
  | { who: "signedIn"; owns?: string }
  /** Staff or admin sessions, and API keys holding `scope` when there is one. */
  | { who: "staff"; scope?: Scope }
  | { who: "admin" }
  /** A guest or a signed-in person shopping (carts): API keys are refused, they shop for nobody. */
  | { who: "shopper" };

export const anyone: Access = { who: "anyone" };
export const signedIn: Access = { who: "signedIn" };
/** A signed-in person acting on one of their own `resource` rows (another person's is 404). */
export const owner = (resource: string): Access => ({ who: "signedIn", owns: resource });
export const staff = (scope?: Scope): Access => ({ who: "staff", scope });
export const admin: Access = { who: "admin" };
export const shopper: Access = { who: "shopper" };

/** Throws UNAUTHENTICATED or FORBIDDEN unless `actor` passes `access`. */
export function checkAccess(actor: Actor, access: Access): void {
  if (access.who === "signedIn") requireUser(actor);
  else if (access.who === "staff") requireStaff(actor, access.scope);
  else if (access.who === "admin") requireAdmin(actor);
  else if (access.who === "shopper") requireShopper(actor);
}

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Where the versioned REST facade is served. */
export const API_BASE = "/api/v1";

/** How an operation appears in the REST facade (relative to /api/v1, or to its `mount`). */
export interface RestBinding {
  method: HttpMethod;
  /** With `{name}` segments, filled from `params`. */
  path: string;
  /**
   * Served under this prefix instead of /api/v1: calls an outside service makes to us (a
   * provider's webhooks), whose address is configured there once and follows no API version.
   */
  mount?: "/webhooks";
  /** The success status; 204 answers no body. */
  status: 200 | 201 | 202 | 204;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** What the success response holds, for the document. */
  responds: string;
  /** Problem statuses beyond those implied (400 with input, 401/403 unless public, 422 if idempotent; 429/500/503 always). */
  errors?: (401 | 404 | 409 | 422 | 429)[];
  /** Schemas of the path, query and body; their fields together make the operation's input. Default: the whole input as the query (GET) or the JSON body. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers that belong to the input (a webhook's signature), keys lower-case. */
  headers?: z.ZodObject;
  /**
   * A body that is not JSON (a signed webhook, a CSV upload): its media type, and the input field that gets the raw text.
   * With `body` as well, the route takes either: JSON checked against `body`, or this media type as raw text.
   */
  consumes?: { contentType: string; field: string };
  /**
   * A response that is not JSON (CSV, NDJSON): its media type; the output is the body, a string or a stream.
   * With several types, the output is `{ contentType, body }`, the body in the type it chose (a `format` query).
   */
  produces?: string | readonly string[];
}

/** The route's full path, as served and documented. */
export const restPath = (rest: Pick<RestBinding, "path" | "mount">): string => `${rest.mount ?? API_BASE}${rest.path}`;

/** How long a shared cache may serve a public answer, then serve it stale while it revalidates. */
export interface PublicCache {
  maxAgeSeconds: number;
  staleWhileRevalidateSeconds: number;
}

/** What the transports do besides answering the output: the session cookie after sign-in or sign-out. */
export type SessionEffect = "set" | "clear";

/**
 * One operation, declared once: both transports, the OpenAPI document and the
 * access table are derived from it (src/rest/operations.ts, src/trpc/operations.ts).
 */
export interface Operation<
  K extends "query" | "mutation" = "query" | "mutation",
  I extends z.ZodType | undefined = z.ZodType | undefined,
  O extends z.ZodType | undefined = z.ZodType | undefined,
> {
  kind: K;
  input: I;
  /** The response's schema; undefined answers nothing (204, or `undefined` over tRPC). */
  output: O;
  access: Access;
  /** Absent: tRPC only. */
  rest?: RestBinding;
  /** False: REST only. */
  trpc?: boolean;
  /**
   * Honours an idempotency key (api.md "Idempotency"): REST's Idempotency-Key
   * header, tRPC's `idempotencyKey` input. Declare with `idempotentMutation`.
   */
  idempotent?: boolean;
  /**
   * A limit stricter than the general one, per caller, on both transports (an
   * expensive search, a mail sent): operations naming the same limit share its bucket.
   */
  limit?: { name: string; perMinute: number };
  /** A stable name for idempotency records: the REST operationId unless given (idempotentMutation sets it). */
  name?: string;
  /** The output carries `{ token, expiresAt }` for the session cookie ("set"), or the cookie ends ("clear"). */
  session?: SessionEffect;
  /**
   * A query whose answer is the same for every caller (anyone may call it, and
   * being signed in changes nothing): anonymous reads are answered with
   * `Cache-Control: public` and an ETag, so a CDN or browser may keep them (src/http/public-cache.ts).
   */
  publicCache?: PublicCache;
  run(ctx: Ctx, input: InputOf<I>): Promise<OutputOf<O>>;
  /**
   * Runs after `run`'s transaction (and its idempotency record) committed, on the first
   * answer and on every replay, and completes the answer: where an outside service is
   * called (checkout's payment), as none may be called inside a transaction.
   */
  settle?(ctx: Ctx, output: OutputOf<O>): Promise<OutputOf<O>>;
}

export type InputOf<I> = I extends z.ZodType ? z.output<I> : undefined;
// biome-ignore lint/suspicious/noConfusingVoidType: an operation without output runs a service answering Promise<void>.
export type OutputOf<O> = O extends z.ZodType ? z.output<O> : void;

export type AnyOperation = Operation<"query" | "mutation", z.ZodType | undefined, z.ZodType | undefined>;

/** A read: a tRPC query, and by default a REST GET. */
export const query = <I extends z.ZodType | undefined, O extends z.ZodType | undefined>(
  op: Omit<Operation<"query", I, O>, "kind">,
): Operation<"query", I, O> => ({ ...op, kind: "query" });

/** A change: a tRPC mutation. */
export const mutation = <I extends z.ZodType | undefined, O extends z.ZodType | undefined>(
  op: Omit<Operation<"mutation", I, O>, "kind">,
): Operation<"mutation", I, O> => ({ ...op, kind: "mutation" });

/** The tRPC input field of an idempotent mutation; REST sends the same as the Idempotency-Key header. */
export const IDEMPOTENCY_KEY_FIELD = "idempotencyKey";
/** A client's idempotency key: any string of 1 to 255 characters, unique per intended effect. */
export const IdempotencyKey = z.string().min(1).max(255);

type WithKey<I extends z.ZodObject> = z.ZodObject<I["shape"] & { idempotencyKey: z.ZodOptional<z.ZodString> }>;

/**
 * A change that a retried request must not repeat (orders, payments, refunds):
 * the same key and input replay the first response, another input with the
 * key is 422. Its tRPC input gains an optional `idempotencyKey` (the
 * transport takes it out before the run); its REST body stays the declared input.
 */
export function idempotentMutation<I extends z.ZodObject, O extends z.ZodType | undefined>(
  op: Omit<Operation<"mutation", I, O>, "kind" | "idempotent">,
): Operation<"mutation", WithKey<I>, O> {
  const name = op.name ?? op.rest?.operationId;
  // Its records are found again by this name, across processes and deploys.
  if (!name) throw new Error("an idempotent operation needs a name or a REST operationId");
  const input = op.input.extend({ [IDEMPOTENCY_KEY_FIELD]: IdempotencyKey.optional() }) as unknown as WithKey<I>;
  return {
    ...op,
    kind: "mutation",
    idempotent: true,
    name,
    input,
    rest: op.rest && { body: op.input, ...op.rest },
    run: op.run as Operation<"mutation", WithKey<I>, O>["run"],
  };
}

/** A module's operations as its tRPC paths: `{ me: { addresses: { list: op } } }`. */
export interface OperationTree {
  [name: string]: AnyOperation | OperationTree;
}

export const isOperation = (node: AnyOperation | OperationTree): node is AnyOperation =>
  typeof (node as AnyOperation).run === "function";

/** Every operation of a tree with its dotted tRPC path, in declaration order. */
export function flattenOperations(tree: OperationTree, prefix = ""): [string, AnyOperation][] {
  return Object.entries(tree).flatMap(([name, node]) =>
    isOperation(node)
      ? [[`${prefix}${name}`, node] as [string, AnyOperation]]
      : flattenOperations(node, `${prefix}${name}.`),
  );
}
