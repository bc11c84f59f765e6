import type { Db } from "../db/client";
import type { Cache } from "./cache";
import type { CatalogSearch } from "./catalog-search";
import type { Logger } from "./logger";
import type { PaymentProvider } from "./payments";
import type { PrepaidHit, RateLimiter } from "./rate-limit";

export type Role = "customer" | "staff" | "admin";

/** Who is calling: resolved once per request by the transports (src/modules/identity/authenticate.ts). */
export type Actor =
  | { kind: "guest" }
  | { kind: "system"; name: string }
  | { kind: "user"; userId: string; role: Role; sessionId: string; via: "cookie" | "bearer" }
  | { kind: "apiKey"; keyId: string; scopes: readonly string[] };

/** A stable key for who is acting (per-caller limits and idempotency scopes); null for a guest. */
export function actorKey(actor: Actor): string | null {
  switch (actor.kind) {
    case "user":
      return `user:${actor.userId}`;
    case "apiKey":
      return `key:${actor.keyId}`;
    case "system":
      return `system:${actor.name}`;
    case "guest":
      return null;
  }
}

/** Who a request counts as for limits and idempotency keys: its actor, or for a guest its address. */
export const callerKey = (ctx: Pick<Ctx, "actor" | "ip">): string => actorKey(ctx.actor) ?? `ip:${ctx.ip ?? "unknown"}`;

/** The store's own settings that rules depend on, from the config (src/deps.ts). */
export interface StoreSettings {
  /** Catalog prices already contain tax (PRICES_INCLUDE_TAX). */
  pricesIncludeTax: boolean;
  /** An unpaid order lapses this long after it was placed, its stock and promotion uses given back. */
  orderPaymentTimeoutMinutes: number;
}

/** What every service receives first: one per request, job or script. */
export interface Ctx {
  db: Db;
  cache: Cache;
  log: Logger;
  requestId: string;
  actor: Actor;
  /** The client's address, for rate limits; null when unknown (in-process calls). */
  ip: string | null;
  limiter: RateLimiter;
  /** The search engine (src/modules/search/adapters.ts): Postgres, or Typesense when configured. */
  search: CatalogSearch;
  /** Where orders are paid (lib/payments.ts): manual, or Stripe when configured. */
  payments: PaymentProvider;
  store: StoreSettings;
  /** A guest cart's secret (`X-Cart-Token`), on both transports: it proves the caller holds that cart. */
  cartToken?: string;
  /** A guest order's secret (`X-Order-Token`), from the checkout's answer: it proves the caller placed that order. */
  orderToken?: string;
  /** The per-caller limit, when authentication already counted it for this request. */
  prepaidHit?: PrepaidHit;
}

/** The context of work nobody requested over HTTP: jobs, seeds, scripts. */
export function systemContext(
  parts: Pick<Ctx, "db" | "cache" | "log" | "limiter" | "search" | "payments" | "store">,
  name: string,
  requestId = name,
): Ctx {
  return { ...parts, log: parts.log.child({ requestId }), requestId, actor: { kind: "system", name }, ip: null };
}
