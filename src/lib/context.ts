import type { Db } from "../db/client";
import type { Cache } from "./cache";
import type { Logger } from "./logger";

/**
 * Who is calling. Guests and the system exist from the start; identity
 * (issue 8) adds customers, staff and API keys.
 */
export type Actor =
  | { kind: "guest" }
  | { kind: "system"; name: string }
  // Temporary: the bootstrap admin token until identity lands.
  | { kind: "bootstrap-admin" };

/** What every service receives first: one per request, job or script. */
export interface Ctx {
  db: Db;
  cache: Cache;
  log: Logger;
  requestId: string;
  actor: Actor;
  /** Set inside `inTransaction`, so nested calls join the open transaction. */
  inTransaction?: boolean;
}

/** The context of work nobody requested over HTTP: jobs, seeds, scripts. */
export function systemContext(parts: Pick<Ctx, "db" | "cache" | "log">, name: string, requestId = name): Ctx {
  return { ...parts, log: parts.log.child({ requestId }), requestId, actor: { kind: "system", name } };
}

/** Runs `fn` in a transaction, or in the caller's when one is already open. */
export function inTransaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.db.transaction((db) => fn({ ...ctx, db, inTransaction: true }));
}
