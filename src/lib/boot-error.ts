/**
 * A start-up failure a person can act on: what failed, the cause (with the path
 * or address involved), and what to do. Commands print it as one line and exit 1.
 */
export class BootError extends Error {
  constructor(
    readonly what: string,
    override readonly cause: unknown,
    readonly hint: string,
  ) {
    super(`${what} failed: ${describeCause(cause)}${hint ? `. ${hint.charAt(0).toUpperCase()}${hint.slice(1)}` : ""}`);
    this.name = "BootError";
  }
}

/** Runs one start-up step; any failure becomes a BootError saying what failed and what to do. */
export async function bootStep<T>(what: string, hint: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof BootError ? err : new BootError(what, err, hint);
  }
}

/** The cause in one line, without stack traces: `connect ECONNREFUSED 127.0.0.1:5432`. */
export function describeCause(cause: unknown): string {
  if (cause instanceof BootError) return cause.message;
  if (cause instanceof Error) {
    const message = cause.message.trim().split("\n")[0] || cause.name;
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
  }
  if (cause === undefined || cause === null) return "unknown error";
  return String(cause).trim().split("\n")[0] ?? "";
}
