import { createApp } from "./app";
import { bootConfig } from "./boot";
import { closeDeps, createDeps, systemCtx, workerDeps } from "./deps";
import { startWorker, type WorkerHandle } from "./jobs/runner";
import { handleShutdown } from "./lib/shutdown";
import { seedDemoStore } from "./seed";
import { DEMO_ACCOUNTS } from "./seed/accounts";

const { config, log } = bootConfig();
const deps = await createDeps(config, log);
for (const [part, mode] of Object.entries(deps.modes)) log.info(`${part}: ${mode}`);

if (deps.embedded?.freshlyInitialised && config.SEED_ON_FIRST_RUN) {
  const ctx = systemCtx(deps, "seed");
  const { created } = await seedDemoStore(ctx, () => {});
  log.info(
    `seed: first run, created ${created} demo records; demo admin ${DEMO_ACCOUNTS[0].email} / ${DEMO_ACCOUNTS[0].password}`,
  );
}

let worker: WorkerHandle | null = null;
if (config.WORKER_ENABLED) {
  worker = await startWorker(workerDeps(deps), config.WORKER_CONCURRENCY);
  log.info(`worker: in-process (concurrency ${config.WORKER_CONCURRENCY})`);
} else {
  log.info("worker: disabled in this process (run `bun run worker`)");
}

const app = createApp({ ...deps, workerStatus: () => worker?.status() ?? "disabled" });
const server = Bun.serve({ hostname: config.HOST, port: config.PORT, fetch: app.fetch });

const base = config.PUBLIC_URL ?? `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${server.port}`;
log.info(`api: ${base}/api/v1 (OpenAPI: ${base}/api/v1/openapi.json)`);
log.info(`docs: ${base}/docs`);
log.info(`trpc: ${base}/trpc`);

handleShutdown(log, config.SHUTDOWN_TIMEOUT_MS, async () => {
  // Stop accepting; in-flight requests finish, bounded by SHUTDOWN_TIMEOUT_MS.
  const drained = await Promise.race([
    server.stop(false).then(() => true),
    Bun.sleep(config.SHUTDOWN_TIMEOUT_MS).then(() => false),
  ]);
  if (!drained) {
    log.warn("in-flight requests did not finish in time: closing them");
    await server.stop(true);
  }
  await worker?.stop();
  await closeDeps(deps);
});
