/**
 * `@cartwright/client`: a typed tRPC client for the Cartwright API.
 *
 * @example
 * const api = createClient({ url: "https://shop.example.com", headers: { authorization: `Bearer ${token}` } });
 * const shoes = await api.catalog.categories.get.query({ idOrSlug: "shoes" });
 */
import { createTRPCClient, type HTTPBatchLinkOptions, httpBatchLink, type TRPCClient } from "@trpc/client";
import type { AnyTRPCClientTypes, inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter as ServerRouter } from "../../src/trpc/router";
import { describeRouter } from "./router-type";

// Inferred, not declared, so that the emitted declaration spells the router out
// instead of importing server files (router-type.ts). Dropped from the bundle.
const routerShape = /* @__PURE__ */ describeRouter<ServerRouter>();

/** The Cartwright tRPC router, as clients see it. */
export type AppRouter = typeof routerShape;
/** Every procedure's input, by path: `RouterInputs["catalog"]["categories"]["get"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, as the client receives it. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Request headers. Values left `undefined` are not sent. */
export type ClientHeaders = Record<string, string | undefined>;

export interface ClientOptions {
  /** The server's base URL (`https://api.example.com`) or its tRPC endpoint (`.../trpc`). */
  url: string;
  /**
   * Sent with every request. A function is called per request (batch), so a
   * token that is refreshed or a cookie read at call time is always current.
   */
  headers?: ClientHeaders | (() => ClientHeaders | Promise<ClientHeaders>);
  /** Replaces the global `fetch`, for runtimes without one or to add retries, logging or cookies. */
  fetch?: NonNullable<HTTPBatchLinkOptions<AnyTRPCClientTypes>["fetch"]>;
}

export type Client = TRPCClient<AppRouter>;

/**
 * The tRPC endpoint (`<base>/trpc`) for a base URL or the endpoint itself, so
 * callers can pass the one base URL they also use for the REST API.
 */
export function trpcUrl(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/trpc") ? base : `${base}/trpc`;
}

/** The most calls the server takes in one batch; more in one tick are sent as several requests. */
export const MAX_BATCH_SIZE = 20;

/** A client that batches the calls made in the same tick into one HTTP request (up to MAX_BATCH_SIZE each). */
export function createClient(options: ClientOptions): Client {
  const { headers } = options;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: trpcUrl(options.url),
        // tRPC passes the batch's operations to a headers function; ours takes none.
        headers: typeof headers === "function" ? () => headers() : headers,
        fetch: options.fetch,
        maxItems: MAX_BATCH_SIZE,
      }),
    ],
  });
}
