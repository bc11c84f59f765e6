import type { Logger } from "./logger";

/**
 * Owns the process's ending: on SIGINT or SIGTERM runs `stop` once and exits 0;
 * on a crash (uncaught exception, unhandled rejection) runs it and exits 1, so
 * the embedded Postgres never outlives us. A stop that hangs is cut off.
 */
export function handleShutdown(log: Logger, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const run = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down");
    const guard = setTimeout(() => {
      log.error({ timeoutMs }, "shutdown took too long: exiting");
      process.exit(1);
    }, timeoutMs + 5000);
    try {
      await stop();
      log.info("stopped");
    } catch (err) {
      log.error({ err }, "error while stopping");
      code = 1;
    }
    clearTimeout(guard);
    process.exit(code);
  };
  process.on("SIGINT", () => run("SIGINT", 0));
  process.on("SIGTERM", () => run("SIGTERM", 0));
  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception");
    void run("crash", 1);
  });
  process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unhandled rejection");
    void run("crash", 1);
  });
}
