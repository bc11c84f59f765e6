import { createApp } from "./app";
import { bootDeps } from "./boot";
import { systemCtx, workerDeps } from "./deps";
import { startWorker, type WorkerHandle } from "./jobs/runner";
import { seedDemoStore } from "./seed";
import { DEMO_ACCOUNTS } from "./seed/accounts";

const { config, log, life, deps } = await bootDeps();
for (const [part, mode] of Object.entries(deps.modes)) log.info(`${part}: ${mode}`);

if (deps.embedded?.freshlyInitialised && config.SEED_ON_FIRST_RUN) {
  const { created } = await life.step(
    "seeding the demo store",
    "run `bun run db:seed` to try again, or set SEED_ON_FIRST_RUN=false",
    () => seedDemoStore(systemCtx(deps, "seed"), () => {}),
  );
  log.info(
    `seed: first run, created ${created} demo records; demo admin ${DEMO_ACCOUNTS[0].email} / ${DEMO_ACCOUNTS[0].password}`,
  );
}

let worker: WorkerHandle | null = null;
if (config.WORKER_ENABLED) {
  const started = await life.step(
    "starting the worker",
    "set WORKER_ENABLED=false to serve the API alone and run `bun run worker` apart",
    () => startWorker(workerDeps(deps), config.WORKER_CONCURRENCY),
  );
  worker = started;
  life.onStop(() => started.stop());
  log.info(`worker: in-process (concurrency ${config.WORKER_CONCURRENCY})`);
} else {
  log.info("worker: disabled in this process (run `bun run worker`)");
}

const app = createApp({ ...deps, workerStatus: () => worker?.status() ?? "disabled" });
const server = await life.step(
  `listening on ${config.HOST}:${config.PORT}`,
  `another process may hold port ${config.PORT}: stop it, or set PORT to a free port`,
  () => Bun.serve({ hostname: config.HOST, port: config.PORT, fetch: app.fetch }),
);
life.onStop(async () => {
  // Stop accepting; in-flight requests finish, bounded by SHUTDOWN_TIMEOUT_MS.
  const drained = await Promise.race([
    server.stop(false).then(() => true),
    Bun.sleep(config.SHUTDOWN_TIMEOUT_MS).then(() => false),
  ]);
  if (!drained) {
    log.warn("in-flight requests did not finish in time: closing them");
    await server.stop(true);
  }
});
life.started();

const base = config.PUBLIC_URL ?? `http://${config.HOST === "0.0.0.0" ? "localhost" : config.HOST}:${server.port}`;
log.info(`api: ${base}/api/v1 (OpenAPI: ${base}/api/v1/openapi.json)`);
log.info(`docs: ${base}/docs`);
log.info(`trpc: ${base}/trpc`);
