import { type Ctx, callerKey } from "../lib/context";
import { AppError } from "../lib/errors";
import * as idempotency from "../lib/idempotency";
import type { AnyOperation } from "../lib/operation";
import { inTransaction } from "../lib/transaction";
import { deliverSession, writeSessionCookie } from "../modules/identity/cookie";
import type { SessionResult } from "../modules/identity/schemas";
import { outputMismatch } from "./output-check";

/** What a transport lends an operation's run: a way to add response headers, and its settings. */
export interface Responder {
  appendHeader(name: string, value: string): void;
  secureCookies: boolean;
  /** Tests only: the output must match the declared schema exactly (no field more or less). */
  checkOutput: boolean;
}

/**
 * Runs a declared operation the same way for every transport, once its gate
 * (access, rate limit) has passed and its input is parsed: the service call,
 * then the session it issues (cookie or bearer token, as asked) or ends.
 */
export async function runOperation(
  ctx: Ctx,
  op: AnyOperation,
  input: unknown,
  res: Responder,
  idempotencyKey?: string,
): Promise<unknown> {
  const done =
    op.idempotent && idempotencyKey !== undefined
      ? await runOnce(ctx, op, input, idempotencyKey, res)
      : await op.run(ctx, input as never);
  const output = op.settle ? await op.settle(ctx, done as never) : done;
  // The session effect first: the checked output is what the client gets, without the token for a cookie session.
  let answer = output;
  if (op.session === "set") {
    answer = deliverSession(res.appendHeader, output as SessionResult, input, res.secureCookies);
  } else if (op.session === "clear") {
    writeSessionCookie(res.appendHeader, null, res.secureCookies);
  }
  if (res.checkOutput && op.output) {
    const problem = outputMismatch(op.output, answer);
    if (problem) throw new AppError("INTERNAL", `Output does not match its schema: ${problem}`);
  }
  return answer;
}

/**
 * The operation under its idempotency key, claimed in the same transaction as
 * the write (the service's own transaction becomes a savepoint of this one):
 * a crash leaves either nothing or the key completed with its response.
 */
function runOnce(ctx: Ctx, op: AnyOperation, input: unknown, key: string, res: Responder): Promise<unknown> {
  // The same input over either transport is the same request: each hands over the input without the key.
  const claim = { scope: callerKey(ctx), key, requestHash: idempotency.requestHash(String(op.name), input) };
  return inTransaction(ctx, async (tx) => {
    const claimed = await idempotency.claim(tx, claim);
    if (claimed.kind === "replay") {
      res.appendHeader("Idempotent-Replayed", "true");
      return claimed.body;
    }
    const output = await op.run(tx, input as never);
    await idempotency.complete(tx, claim, op.rest?.status ?? 200, output);
    return output;
  });
}
