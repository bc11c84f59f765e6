import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { Schema } from "../db/client";
import type { Ctx } from "./context";

/** An open transaction (or savepoint) on the database. */
export type Tx = PgTransaction<PostgresJsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Isolation = "read committed" | "repeatable read" | "serializable";

export interface TransactionOptions {
  /** Postgres fixes it at BEGIN: only the outermost call sets it, and a nested call may not ask for more. */
  isolation?: Isolation;
  /**
   * Inside a transaction already: run in it, not in a savepoint, for work whose failure fails
   * the caller's transaction anyway (checkout under its idempotency record): two round trips less.
   */
  join?: boolean;
}

/** One transaction level (the transaction or a savepoint): what it runs once everything commits. */
interface Level {
  afterCommit: AfterCommit[];
  isolation: Isolation;
}

/** Work for after the commit; it gets the ctx the transaction was opened from, whose db is the pool again. */
type AfterCommit = (committed: Ctx) => unknown;

// Not exported: only inTransaction makes a TxCtx, so one cannot be faked from a plain Ctx.
const level = Symbol("transaction level");

/** A ctx whose db is an open transaction: what a function that must run inside one takes. */
export interface TxCtx extends Ctx {
  db: Tx;
  /**
   * Runs `fn` once the outermost transaction has committed, before `inTransaction`
   * returns; never when this level (transaction or savepoint) rolls back. A failure
   * is logged, not thrown: the write is committed by then. `fn` gets the ctx the
   * outermost transaction was opened from, for work that reads or writes again
   * (a provider call, then its result recorded in a transaction of its own).
   */
  afterCommit(fn: AfterCommit): void;
  readonly [level]: Level;
}

// A TxCtx may arrive typed as a plain Ctx (a service called by another inside its transaction).
const isTx = (ctx: Pick<Ctx, "log">): ctx is TxCtx => level in ctx;

/** Retries after the first attempt, for serialization failures and deadlocks. */
export const MAX_RETRIES = 3;
const RETRYABLE = new Set(["40001", "40P01"]);
const STRENGTH: Record<Isolation, number> = { "read committed": 0, "repeatable read": 1, serializable: 2 };

/**
 * Runs `fn` in a new transaction, or in a savepoint of the caller's when `ctx` is
 * already in one (a failure inside rolls back to the savepoint only). The outermost
 * call retries serialization failures and deadlocks up to MAX_RETRIES times, so `fn`
 * may run more than once: effects outside the database belong in `tx.afterCommit`.
 * After the last attempt the error goes through (lib/errors.ts makes it CONFLICT).
 */
export async function inTransaction<T>(
  ctx: Ctx,
  fn: (tx: TxCtx) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  if (isTx(ctx)) {
    assertIsolation(ctx, opts);
    return opts.join ? fn(ctx) : inSavepoint(ctx, fn);
  }
  const isolation = opts.isolation ?? "read committed";
  for (let attempt = 0; ; attempt++) {
    // A fresh level per attempt: a failed attempt's callbacks are dropped with it.
    const root: Level = { afterCommit: [], isolation };
    let result: T;
    try {
      result = await ctx.db.transaction(
        (db) => fn(txCtx(ctx, db, root)),
        opts.isolation && { isolationLevel: opts.isolation },
      );
    } catch (err) {
      const code = retryableCode(err);
      if (!code || attempt >= MAX_RETRIES) throw err;
      ctx.log.info({ code, attempt: attempt + 1 }, "transaction conflicted: retrying");
      await Bun.sleep(backoffMs(attempt));
      continue;
    }
    await runAfterCommit(
      ctx,
      root.afterCommit.map((fn) => () => fn(ctx)),
    );
    return result;
  }
}

/**
 * Runs `fn` once `ctx`'s transaction has committed (`TxCtx.afterCommit`), or
 * at once when `ctx` is in none: its writes are committed by then.
 */
export async function whenCommitted(ctx: Pick<Ctx, "log">, fn: () => unknown): Promise<void> {
  if (isTx(ctx)) ctx.afterCommit(fn);
  else await runAfterCommit(ctx, [fn]);
}

/** Nested work, joined or in a savepoint, cannot ask for more isolation than its transaction has. */
function assertIsolation(outer: TxCtx, opts: TransactionOptions): void {
  const parent = outer[level];
  if (opts.isolation && STRENGTH[opts.isolation] > STRENGTH[parent.isolation]) {
    throw new Error(
      `a ${opts.isolation} transaction must be the outermost: this one runs in a ${parent.isolation} one`,
    );
  }
}

async function inSavepoint<T>(outer: TxCtx, fn: (tx: TxCtx) => Promise<T>): Promise<T> {
  const parent = outer[level];
  const child: Level = { afterCommit: [], isolation: parent.isolation };
  const result = await outer.db.transaction((db) => fn(txCtx(outer, db, child)));
  // Released: its callbacks now stand or fall with the enclosing level.
  parent.afterCommit.push(...child.afterCommit);
  return result;
}

function txCtx(ctx: Ctx, db: Tx, at: Level): TxCtx {
  return {
    ...ctx,
    db,
    afterCommit: (fn) => {
      at.afterCommit.push(fn);
    },
    [level]: at,
  };
}

async function runAfterCommit(ctx: Pick<Ctx, "log">, callbacks: (() => unknown)[]): Promise<void> {
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (err) {
      ctx.log.error({ err }, "after-commit callback failed (the transaction is committed)");
    }
  }
}

/** 40001 or 40P01 anywhere in the cause chain (drizzle wraps query errors; a failed COMMIT comes bare). */
function retryableCode(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return code;
  }
  return null;
}

// Half-jittered 5, 15, 45 ms: the conflicting transaction needs a moment to finish,
// and two losers retrying in step would meet again.
const backoffMs = (attempt: number) => {
  const base = Math.min(50, 5 * 3 ** attempt);
  return base / 2 + (Math.random() * base) / 2;
};
