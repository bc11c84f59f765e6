import { and, eq, lt, sql } from "drizzle-orm";
import { PREPARED } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { statement } from "../db/statement";
import type { Ctx } from "./context";
import { AppError } from "./errors";
import type { TxCtx } from "./transaction";

export const IDEMPOTENCY_TTL_HOURS = 24;

export type IdempotencyClaim = { kind: "new" } | { kind: "replay"; status: number; body: unknown };

export interface IdempotencyRequest {
  /** Who asked (actorKey): keys are the caller's own. */
  scope: string;
  key: string;
  /** The operation and its input, hashed: the same key with another request is refused. */
  requestHash: string;
}

/**
 * Claims a key in the transaction of the write it protects (api.md
 * "Idempotency"). A concurrent request with the same key waits on the
 * uncommitted row and then replays it; if the first rolls back, the second
 * proceeds. So a key is either absent (the write never happened) or completed
 * with its response: never stuck "in progress", whatever crashes when.
 */
export async function claim(tx: TxCtx, req: IdempotencyRequest): Promise<IdempotencyClaim> {
  const inserted = await claimStatement(tx.db, req);
  if (inserted.length > 0) return { kind: "new" };

  const [row] = await tx.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.scope, req.scope), eq(idempotencyKeys.key, req.key)));
  if (!row) return claim(tx, req); // expired and purged between the two statements
  if (row.requestHash !== req.requestHash) {
    throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request", {
      errors: [{ path: "Idempotency-Key", message: "Already used with a different request" }],
    });
  }
  // Rows written before claims moved into the write's transaction may lack a response.
  if (row.status === null) throw new AppError("CONFLICT", "A request with this Idempotency-Key is still in progress");
  return { kind: "replay", status: row.status, body: row.body };
}

/** Stores the response to replay, in the same transaction as the write. */
export async function complete(tx: TxCtx, req: IdempotencyRequest, status: number, body: unknown): Promise<void> {
  await completeStatement(tx.db, {
    ...req,
    status,
    body: body === undefined || body === null ? null : JSON.stringify(body),
  });
}

// Every idempotent write runs these two: built once (db/statement.ts).
const claimStatement = statement(
  ["scope", "key", "requestHash"],
  (p) => sql`${PREPARED}
    insert into idempotency_keys (scope, key, request_hash, expires_at)
    values (${p.scope}, ${p.key}, ${p.requestHash}, now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}))
    on conflict do nothing
    returning key`,
);

const completeStatement = statement(
  ["scope", "key", "status", "body"],
  (p) => sql`${PREPARED}
    update idempotency_keys set status = ${p.status}::int, body = ${p.body}::jsonb
    where scope = ${p.scope} and key = ${p.key}`,
);

/** Deletes keys past their 24 hours; returns how many. */
export async function purgeExpired(ctx: Ctx): Promise<number> {
  const gone = await ctx.db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.expiresAt, sql`now()`))
    .returning({ key: idempotencyKeys.key });
  return gone.length;
}

/** A stable hash of what a request asks: the operation's name and its input, keys sorted. */
export function requestHash(operation: string, input: unknown): string {
  return new Bun.CryptoHasher("sha256").update(`${operation}\n${canonicalJson(input)}`).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
