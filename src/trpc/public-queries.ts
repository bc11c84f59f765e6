import { TRPCError } from "@trpc/server";
import {
  getAcceptHeader,
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  type TRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import type { MiddlewareHandler } from "hono";
import { cacheControlOf, encodeOnce, etagOf, notModified, publiclyCacheable } from "../http/public-cache";
import type { Ctx } from "../lib/context";
import { allOperations } from "../lib/module";
import type { AnyOperation, PublicCache } from "../lib/operation";
import { modules } from "../modules";
import type { RestEnv } from "../rest/env";
import type { TrpcCtx, TrpcSettings } from "./context";
import { translateError } from "./init";
import { admit, type CallHeaders, resolveCall } from "./operations";
import { refusalHeaders } from "./refusal-headers";
import { appRouter } from "./router";

const PUBLIC = new Map<string, AnyOperation>(
  allOperations(modules).filter(([, op]) => op.publicCache && op.kind === "query" && op.trpc !== false),
);

type Call = { ok: true; output: object } | { ok: false; error: TRPCError };

/**
 * GET requests for public queries only (one, or a batch of them), from anonymous callers:
 * answered here with the body cached beside the data, its ETag and public Cache-Control,
 * or 304, as REST answers them. Each call runs the steps of its procedure (the same gate,
 * input schema, run and error translation), and the response is what tRPC's handler would
 * make (src/app.ts: the refusing limit's headers). Anything else goes on to tRPC's handler
 * untouched, before anything has run: a streamed batch, a signed-in caller, an input that
 * is not JSON, a procedure that is not public. A single query's ETag is its data's (the
 * same value REST sends for it, on another URL); a batch's is a hash of its calls' ETags.
 *
 * The cost it removes: the adapter's copy of the request, tRPC's request parsing, its
 * middleware chain's copies of the call options, response building, and serializing the
 * same output on every hit.
 */
export function publicQueries(settings: TrpcSettings, maxBatchSize: number): MiddlewareHandler<RestEnv> {
  return async (c, next) => {
    if (c.req.method !== "GET" || c.get("authFailure") || getAcceptHeader(c.req.raw.headers)) return next();
    const ctx = c.get("ctx");
    const request = parse(c.req.path, c.req.query("batch") === "1", c.req.query("input"), maxBatchSize);
    if (!request?.ops.every((op) => publiclyCacheable(op, ctx.actor))) return next();

    const headers = new ResponseHeaders();
    const calls = await Promise.all(
      request.ops.map((op, i) => call(op, request.paths[i] as string, request.inputs[i], ctx, headers, settings)),
    );

    headers.set("Vary", "trpc-accept, accept");
    if (calls.every((call) => call.ok)) {
      const encoded = calls.map((call) => encodeOnce(call.output));
      const etag = request.batch ? etagOf(encoded.map((e) => e.etag).join()) : (encoded[0]?.etag as string);
      headers.set("ETag", etag);
      headers.set("Cache-Control", cacheControlOf(shortest(request.ops)));
      if (notModified(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers.all);
      headers.set("Content-Type", "application/json");
      const parts = encoded.map((e) => `{"result":{"data":${e.body}}}`);
      return c.body(request.batch ? `[${parts.join(",")}]` : (parts[0] as string), 200, headers.all);
    }
    headers.set("Content-Type", "application/json");
    const refused = refusalHeaders(calls.flatMap((call) => (call.ok ? [] : [call.error])));
    for (const [name, value] of Object.entries(refused ?? {})) headers.set(name, value);
    const responses = calls.map((call, i) => respond(call, request.paths[i] as string, request.inputs[i], ctx));
    const status = getHTTPStatusCode(request.batch ? responses : (responses[0] as TRPCResponse));
    const body = JSON.stringify(request.batch ? responses : responses[0]);
    return c.body(body, status as 200, headers.all);
  };
}

/** One call as its procedure runs it (src/trpc/operations.ts): gate, input, run, errors translated. */
async function call(
  op: AnyOperation,
  path: string,
  raw: unknown,
  ctx: Ctx,
  headers: CallHeaders,
  settings: TrpcSettings,
): Promise<Call> {
  try {
    await admit(ctx, op, headers);
    const parsed = op.input ? op.input.safeParse(raw) : { success: true as const, data: undefined };
    if (!parsed.success)
      throw new TRPCError({ code: "BAD_REQUEST", message: parsed.error.message, cause: parsed.error });
    return { ok: true, output: (await resolveCall(op, ctx, parsed.data, headers, settings)) as object };
  } catch (cause) {
    return { ok: false, error: translateError(getTRPCErrorFromUnknown(cause), ctx, path) };
  }
}

/** The procedures and inputs of a tRPC GET, or null when tRPC's handler should read it. */
function parse(urlPath: string, batch: boolean, rawInput: string | undefined, maxBatchSize: number) {
  let joined: string;
  let input: unknown;
  try {
    joined = decodeURIComponent(urlPath.slice("/trpc/".length));
    input = rawInput === undefined ? undefined : JSON.parse(rawInput);
  } catch {
    return null;
  }
  const paths = batch ? joined.split(",") : [joined];
  if (paths.length > maxBatchSize) return null;
  const ops = paths.map((path) => PUBLIC.get(path));
  if (!ops.every((op) => op !== undefined)) return null;
  if (!batch) return { batch, paths, ops, inputs: [input] };
  if (input !== undefined && (typeof input !== "object" || input === null)) return null;
  const byIndex = (input ?? {}) as Record<string, unknown>;
  return { batch, paths, ops, inputs: paths.map((_, i) => byIndex[i]) };
}

function respond(call: Call, path: string, input: unknown, ctx: Ctx): TRPCResponse {
  if (call.ok) return { result: { data: call.output } };
  const config = appRouter._def._config;
  // The formatter (src/trpc/init.ts) reads only the request id from the ctx.
  const shape = getErrorShape({ config, error: call.error, type: "query", path, input, ctx: ctx as TrpcCtx });
  return { error: shape } as TRPCResponse;
}

/** A batch may be kept as long as its least cacheable call. */
function shortest(ops: AnyOperation[]): PublicCache {
  const policies = ops.map((op) => op.publicCache as PublicCache);
  if (policies.length === 1) return policies[0] as PublicCache;
  return {
    maxAgeSeconds: Math.min(...policies.map((p) => p.maxAgeSeconds)),
    staleWhileRevalidateSeconds: Math.min(...policies.map((p) => p.staleWhileRevalidateSeconds)),
  };
}

/** Response headers as the plain record Hono takes, without a Headers object per request. */
class ResponseHeaders implements CallHeaders {
  readonly all: Record<string, string> = {};
  set(name: string, value: string) {
    this.all[name] = value;
  }
  append(name: string, value: string) {
    const known = this.all[name];
    this.all[name] = known === undefined ? value : `${known}, ${value}`;
  }
}
