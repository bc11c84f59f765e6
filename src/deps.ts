import type { Config } from "./config";
import { connectDatabase, type Database } from "./db/client";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./db/embedded";
import { migrateDatabase, probeDatabase } from "./db/migrate";
import type { WorkerDeps } from "./jobs/runner";
import { BootError, bootStep } from "./lib/boot-error";
import { Cache } from "./lib/cache";
import type { CatalogSearch } from "./lib/catalog-search";
import { type Ctx, type StoreSettings, systemContext } from "./lib/context";
import { withDeadline } from "./lib/deadline";
import { type KeyValueStore, MemoryStore, RedisStore } from "./lib/kv";
import type { Logger } from "./lib/logger";
import { createMailer, type Mailer } from "./lib/mailer";
import type { PaymentProvider } from "./lib/payments";
import { RateLimiter } from "./lib/rate-limit";
import { createPaymentProvider } from "./modules/payments/providers";
import { createCatalogSearch } from "./modules/search/adapters";

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
  search: CatalogSearch;
  payments: PaymentProvider;
  store: StoreSettings;
  /** One line per part saying what is in use, for the boot log and /ready. */
  modes: Record<"database" | "redis" | "search" | "payments" | "mail", string>;
}

export interface DepsOptions {
  /** Apply pending migrations (the server does unless MIGRATE_ON_BOOT=false). */
  migrate?: boolean;
  /**
   * A configured Redis must answer before start-up goes on (default). Once
   * running, a Redis that goes away only degrades the service (README).
   */
  requireRedis?: boolean;
}

/**
 * Builds the deps; a failure is a BootError saying what failed and what to do,
 * and whatever had started (the embedded Postgres) is stopped again.
 */
export async function createDeps(config: Config, log: Logger, opts: DepsOptions = {}): Promise<Deps> {
  const { url, embedded, where } = await resolveDatabase(config, log);
  const started: { close(): Promise<void> }[] = [];
  try {
    await bootStep(`connecting to ${where}`, DATABASE_HINT, () =>
      // A missing database is the migrator's to create.
      withDeadline(probeDatabase(url), 8000, "no answer within 8 s"),
    );
    if (opts.migrate ?? config.MIGRATE_ON_BOOT) {
      await bootStep(`migrating ${where}`, DATABASE_HINT, () => migrateDatabase(url, log));
    }
    const database = connectDatabase(url, config.DATABASE_POOL_SIZE);
    started.push(database);
    const kv = await createStore(config, log, opts.requireRedis ?? true);
    const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, dir: config.MAIL_DIR, log });
    const cache = new Cache(kv, log, config.CACHE_TTL_SECONDS);
    return {
      config,
      log,
      databaseUrl: url,
      database,
      embedded,
      kv,
      cache,
      limiter: new RateLimiter(kv, config.API_RATE_LIMIT_PER_MINUTE),
      mailer,
      search: createCatalogSearch({ config, db: database.db, cache, log }),
      payments: createPaymentProvider(config),
      store: {
        pricesIncludeTax: config.PRICES_INCLUDE_TAX,
        orderPaymentTimeoutMinutes: config.ORDER_PAYMENT_TIMEOUT_MINUTES,
      },
      modes: {
        database: embedded ? describeEmbedded(embedded) : where.toLowerCase(),
        redis: config.REDIS_URL ? `redis at ${new URL(config.REDIS_URL).host}` : "in-process store (REDIS_URL unset)",
        search: config.TYPESENSE_URL
          ? `typesense at ${new URL(config.TYPESENSE_URL).host}`
          : "postgres (TYPESENSE_URL unset)",
        payments: config.STRIPE_SECRET_KEY ? "stripe" : "manual (STRIPE_SECRET_KEY unset)",
        mail: mailer.description,
      },
    };
  } catch (err) {
    for (const part of started) await part.close();
    await embedded?.stop();
    throw err;
  }
}

const DATABASE_HINT =
  "check that it is running and that DATABASE_URL is right, or unset DATABASE_URL to use the embedded Postgres";

/** What the worker needs from the process's deps. */
export const workerDeps = (deps: Deps): WorkerDeps => ({
  ...deps,
  db: deps.database.db,
  storefrontUrl: deps.config.STOREFRONT_URL ?? deps.config.PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`,
});

/** The context of work nobody requested over HTTP, on these deps. */
export const systemCtx = (deps: Deps, name: string, requestId?: string): Ctx =>
  systemContext(
    {
      db: deps.database.db,
      cache: deps.cache,
      log: deps.log,
      limiter: deps.limiter,
      search: deps.search,
      payments: deps.payments,
      store: deps.store,
    },
    name,
    requestId,
  );

/** Closes pools first and stops the embedded Postgres last. */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.mailer.close();
  await deps.kv.close();
  await deps.database.close();
  await deps.embedded?.stop();
}

async function resolveDatabase(config: Config, log: Logger) {
  if (config.DATABASE_URL) {
    // Host and database only: the URL's password never reaches a log or an error.
    const u = new URL(config.DATABASE_URL);
    return { url: config.DATABASE_URL, embedded: null, where: `Postgres at ${u.host}${u.pathname}` };
  }
  const embedded = await bootStep("starting the embedded Postgres", EMBEDDED_HINT, () =>
    startEmbeddedPostgres({ dir: config.EMBEDDED_PG_DIR, port: config.EMBEDDED_PG_PORT, database: "cartwright", log }),
  );
  return { url: embedded.url, embedded, where: "the embedded Postgres" };
}

const describeEmbedded = (e: EmbeddedPostgres) =>
  `embedded postgres ${e.version} at ${e.dir} (port ${e.port}${e.movedBecause ? `; here because ${e.movedBecause}` : ""})`;

const EMBEDDED_HINT =
  "set EMBEDDED_PG_DIR to a directory the postgres user can reach, or set DATABASE_URL to your own Postgres";

async function createStore(config: Config, log: Logger, required: boolean): Promise<KeyValueStore> {
  if (!config.REDIS_URL) return new MemoryStore();
  const store = new RedisStore({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, log });
  await store.connect();
  if (required && !(await store.waitUntilReady(3000))) {
    await store.close();
    throw new BootError(
      `connecting to Redis at ${new URL(config.REDIS_URL).host}`,
      "no answer within 3 s",
      "start Redis, fix REDIS_URL, or unset REDIS_URL to use the in-process store",
    );
  }
  return store;
}
