import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys } from "../db/schema";
import type { Ctx } from "./context";
import { AppError } from "./errors";

export const IDEMPOTENCY_TTL_HOURS = 24;

export type IdempotencyClaim = { kind: "new" } | { kind: "replay"; status: number; body: unknown };

export interface IdempotencyRequest {
  scope: string;
  key: string;
  requestHash: string;
}

/**
 * Claims a key for this request (api.md "Idempotency"). The insert races
 * safely: the loser of two concurrent first requests reads the winner's row.
 */
export async function claim(ctx: Ctx, req: IdempotencyRequest): Promise<IdempotencyClaim> {
  const inserted = await ctx.db
    .insert(idempotencyKeys)
    .values({ ...req, expiresAt: sql`now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})` })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: "new" };

  const [row] = await ctx.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
  if (!row) return claim(ctx, req); // expired and purged between the two statements
  if (row.requestHash !== req.requestHash) {
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request", {
      errors: [{ path: "Idempotency-Key", message: "Already used with a different request" }],
    });
  }
  if (row.status === null) throw new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress");
  return { kind: "replay", status: row.status, body: row.body };
}

/** Stores the response to replay. */
export async function complete(ctx: Ctx, req: IdempotencyRequest, status: number, body: unknown): Promise<void> {
  await ctx.db
    .update(idempotencyKeys)
    .set({ status, body })
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
}

/** Frees the key after a failure the client may retry (5xx, or an error thrown before any effect). */
export async function release(ctx: Ctx, req: IdempotencyRequest): Promise<void> {
  await ctx.db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
}

/** Deletes keys past their 24 hours; returns how many. */
export async function purgeExpired(ctx: Ctx): Promise<number> {
  const gone = await ctx.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, sql`now()`))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}
