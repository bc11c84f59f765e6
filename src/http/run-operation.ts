import type { Ctx } from "../lib/context";
import { AppError } from "../lib/errors";
import type { AnyOperation } from "../lib/operation";
import { writeSessionCookie } from "../modules/identity/cookie";
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
 * then the session cookie the operation sets or ends.
 */
export async function runOperation(ctx: Ctx, op: AnyOperation, input: unknown, res: Responder): Promise<unknown> {
  const output = await op.run(ctx, input as never);
  if (res.checkOutput && op.output) {
    const problem = outputMismatch(op.output, output);
    if (problem) throw new AppError("INTERNAL", `Output does not match its schema: ${problem}`);
  }
  if (op.session === "set") {
    const session = output as { token: string; expiresAt: string };
    writeSessionCookie(
      res.appendHeader,
      { token: session.token, expiresAt: new Date(session.expiresAt) },
      res.secureCookies,
    );
  } else if (op.session === "clear") {
    writeSessionCookie(res.appendHeader, null, res.secureCookies);
  }
  return output;
}
