import { bootDeps } from "./boot";
import { workerDeps } from "./deps";
import { startWorker } from "./jobs/runner";

// The worker alone (`bun run worker`), for deployments that scale it apart from the API.
const { config, log, life, deps } = await bootDeps();
log.info(`database: ${deps.modes.database}`);
const worker = await life.step("starting the worker", "check the database the worker uses (DATABASE_URL)", () =>
  startWorker(workerDeps(deps), config.WORKER_CONCURRENCY),
);
life.onStop(() => worker.stop());
life.started();
log.info(`worker: running (concurrency ${config.WORKER_CONCURRENCY})`);
