import type { Config } from "./config";
import { connectDatabase, type Database } from "./db/client";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./db/embedded";
import { migrateDatabase } from "./db/migrate";
import type { WorkerDeps } from "./jobs/runner";
import { Cache } from "./lib/cache";
import { type Ctx, systemContext } from "./lib/context";
import { type KeyValueStore, MemoryStore, RedisStore } from "./lib/kv";
import type { Logger } from "./lib/logger";
import { createMailer, type Mailer } from "./lib/mailer";
import { RateLimiter } from "./lib/rate-limit";

/** The long-lived things, built once per process (architecture.md "Layout"). */
export interface Deps {
  config: Config;
  log: Logger;
  databaseUrl: string;
  database: Database;
  embedded: EmbeddedPostgres | null;
  kv: KeyValueStore;
  cache: Cache;
  limiter: RateLimiter;
  mailer: Mailer;
  /** One line per part saying what is in use, for the boot log and /ready. */
  modes: Record<"database" | "redis" | "search" | "payments" | "mail", string>;
}

export interface DepsOptions {
  /** Apply pending migrations (the server does unless MIGRATE_ON_BOOT=false). */
  migrate?: boolean;
}

export async function createDeps(config: Config, log: Logger, opts: DepsOptions = {}): Promise<Deps> {
  const { url, embedded, description } = await resolveDatabase(config, log);
  try {
    if (opts.migrate ?? config.MIGRATE_ON_BOOT) await migrateDatabase(url, log);
    const database = connectDatabase(url, config.DATABASE_POOL_SIZE);
    const kv = await createStore(config, log);
    const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, dir: config.MAIL_DIR, log });
    return {
      config,
      log,
      databaseUrl: url,
      database,
      embedded,
      kv,
      cache: new Cache(kv, log, config.CACHE_TTL_SECONDS),
      limiter: new RateLimiter(kv),
      mailer,
      modes: {
        database: description,
        redis: config.REDIS_URL ? `redis at ${new URL(config.REDIS_URL).host}` : "in-process store (REDIS_URL unset)",
        search: config.TYPESENSE_URL
          ? `typesense at ${new URL(config.TYPESENSE_URL).host}`
          : "postgres (TYPESENSE_URL unset)",
        payments: config.STRIPE_SECRET_KEY ? "stripe" : "manual (STRIPE_SECRET_KEY unset)",
        mail: mailer.description,
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/** What the worker needs from the process's deps. */
export const workerDeps = (deps: Deps): WorkerDeps => ({
  ...deps,
  db: deps.database.db,
  storefrontUrl: deps.config.STOREFRONT_URL ?? deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`,
});

/** The context of work nobody requested over HTTP, on these deps. */
export const systemCtx = (deps: Deps, name: string, requestId?: string): Ctx =>
  systemContext({ db: deps.database.db, cache: deps.cache, log: deps.log, limiter: deps.limiter }, name, requestId);

/** Closes pools first and stops the embedded Postgres last. */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.mailer.close();
  await deps.kv.close();
  await deps.database.close();
  await deps.embedded?.stop();
}

async function resolveDatabase(config: Config, log: Logger) {
  if (config.DATABASE_URL) {
    const u = new URL(config.DATABASE_URL);
    return { url: config.DATABASE_URL, embedded: null, description: `postgres at ${u.host}${u.pathname}` };
  }
  const embedded = await startEmbeddedPostgres({
    dir: config.EMBEDDED_PG_DIR,
    port: config.EMBEDDED_PG_PORT,
    database: "cartwright",
    log,
  });
  return {
    url: embedded.url,
    embedded,
    description: `embedded postgres ${embedded.version} at ${config.EMBEDDED_PG_DIR} (port ${embedded.port})`,
  };
}

async function createStore(config: Config, log: Logger): Promise<KeyValueStore> {
  if (!config.REDIS_URL) return new MemoryStore();
  const store = new RedisStore({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, log });
  await store.connect();
  return store;
}
