import { BootError, bootStep, describeCause } from "./boot-error";
import type { Logger } from "./logger";

/** What a failed start may spend stopping what it had started: with the step's own timeouts, it exits within 10 s. */
const FAILED_START_CLEANUP_MS = 4000;

/**
 * One command's life (the server, the worker, a script). Start-up runs as
 * steps: a failed step, or any crash before start-up is done, ends the process
 * with exit 1 and one line on stderr saying what failed and what to do, never
 * an error followed by a live process. SIGINT and SIGTERM run the stops (the
 * newest first) and exit 0; a crash later is logged, stops, and exits 1; a stop
 * that hangs is cut off.
 */
export class Lifecycle {
  private readonly stops: (() => Promise<void> | void)[] = [];
  private running = false;
  private ending = false;

  constructor(
    private readonly log: Logger,
    private readonly shutdownTimeoutMs: number,
  ) {
    process.on("SIGINT", () => void this.end("SIGINT", 0));
    process.on("SIGTERM", () => void this.end("SIGTERM", 0));
    process.on("uncaughtException", (err) => void this.crash(err));
    process.on("unhandledRejection", (err) => void this.crash(err));
  }

  /** Runs a start-up step; a failure ends the process (exit 1) with one line naming the cause. */
  async step<T>(what: string, hint: string, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await bootStep(what, hint, fn);
    } catch (err) {
      return this.failStart(err);
    }
  }

  /** Registers how to undo what just started. */
  onStop(stop: () => Promise<void> | void): void {
    this.stops.push(stop);
  }

  /** Start-up is done: from now on a failure is a crash, logged with its details. */
  started(): void {
    this.running = true;
  }

  /** Runs the stops and exits with `code`. */
  async end(reason: string, code: number, timeoutMs = this.shutdownTimeoutMs + 5000): Promise<never> {
    if (this.ending) return new Promise<never>(() => {});
    this.ending = true;
    // A command that finished, or a start whose one line says it all, ends without log lines.
    const quietly = reason === "done" || reason === "failed start";
    if (!quietly) this.log.info({ reason }, "shutting down");
    const guard = setTimeout(() => {
      this.log.error({ timeoutMs }, "stopping took too long: exiting");
      process.exit(code || 1);
    }, timeoutMs);
    for (const stop of this.stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        if (!quietly) this.log.error({ err }, "error while stopping");
        code ||= 1;
      }
    }
    clearTimeout(guard);
    if (!quietly) this.log.info("stopped");
    process.exit(code);
  }

  private crash(err: unknown): Promise<never> {
    if (!this.running) return this.failStart(err);
    this.log.fatal({ err }, "crash");
    return this.end("crash", 1);
  }

  private failStart(err: unknown): Promise<never> {
    const line = err instanceof BootError ? err.message : `start-up failed: ${describeCause(err)}`;
    console.error(`cartwright: ${line}`);
    return this.end("failed start", 1, FAILED_START_CLEANUP_MS);
  }
}
