import { type Config, ConfigError, loadConfig } from "./config";
import { closeDeps, createDeps, type Deps, type DepsOptions, systemCtx } from "./deps";
import type { Ctx } from "./lib/context";
import { createLogger, type Logger } from "./lib/logger";

/** Config and logger for a command; a bad environment ends it with one line naming the variable. */
export function bootConfig(): { config: Config; log: Logger } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`cartwright: ${err.message}`);
    process.exit(1);
  }
  const pretty = config.LOG_FORMAT
    ? config.LOG_FORMAT === "pretty"
    : config.NODE_ENV === "development" && process.stdout.isTTY;
  return { config, log: createLogger({ level: config.LOG_LEVEL, pretty: Boolean(pretty) }) };
}

/** Runs a one-off command (migrate, seed) with the same database the server would use. */
export async function runCommand(opts: DepsOptions, fn: (deps: Deps, ctx: Ctx) => Promise<void>): Promise<void> {
  const { config, log } = bootConfig();
  const deps = await createDeps(config, log, opts);
  const ctx = systemCtx(deps, "cli", `cli-${process.pid}`);
  try {
    await fn(deps, ctx);
  } finally {
    await closeDeps(deps);
  }
}
