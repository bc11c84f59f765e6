import { type Config, ConfigError, loadConfig } from "./config";
import { closeDeps, createDeps, type Deps, type DepsOptions, systemCtx } from "./deps";
import type { Ctx } from "./lib/context";
import { Lifecycle } from "./lib/lifecycle";
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

/** Config, logger, lifecycle and deps: the start every command shares. Any failure ends the process with one line. */
export async function bootDeps(
  opts: DepsOptions = {},
): Promise<{ config: Config; log: Logger; life: Lifecycle; deps: Deps }> {
  const { config, log } = bootConfig();
  const life = new Lifecycle(log, config.SHUTDOWN_TIMEOUT_MS);
  const deps = await life.step("start-up", "see the README's Troubleshooting section", () =>
    createDeps(config, log, opts),
  );
  life.onStop(() => closeDeps(deps));
  return { config, log, life, deps };
}

/**
 * Runs a one-off command (migrate, seed, admin:create) with the same database
 * the server would use; a failure of `what` exits 1 with one line and the hint.
 */
export async function runCommand(
  what: string,
  hint: string,
  opts: DepsOptions,
  fn: (deps: Deps, ctx: Ctx) => Promise<void>,
): Promise<never> {
  const { life, deps } = await bootDeps(opts);
  const ctx = systemCtx(deps, "cli", `cli-${process.pid}`);
  await life.step(what, hint, () => fn(deps, ctx));
  return life.end("done", 0);
}
