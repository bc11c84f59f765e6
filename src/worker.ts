import { bootConfig } from "./boot";
import { closeDeps, createDeps, workerDeps } from "./deps";
import { startWorker } from "./jobs/runner";
import { handleShutdown } from "./lib/shutdown";

// The worker alone (`bun run worker`), for deployments that scale it apart from the API.
const { config, log } = bootConfig();
const deps = await createDeps(config, log);
log.info(`database: ${deps.modes.database}`);
const worker = await startWorker(workerDeps(deps), config.WORKER_CONCURRENCY);
log.info(`worker: running (concurrency ${config.WORKER_CONCURRENCY})`);

handleShutdown(log, config.SHUTDOWN_TIMEOUT_MS, async () => {
  await worker.stop();
  await closeDeps(deps);
});
