import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations } from "graphile-worker";
import { workerLogger } from "../jobs/logger";
import type { Logger } from "../lib/logger";
import { connectDatabase, singleConnection } from "./client";
import { createDatabaseIfMissing } from "./embedded";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** Applies our drizzle migrations and Graphile Worker's schema; creates the database if missing. */
export async function migrateDatabase(url: string, log: Logger): Promise<void> {
  await ensureDatabase(url);
  const { db, close } = connectDatabase(url, 1);
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await close();
  }
  // Jobs are enqueued inside our transactions, so their schema must exist before the first write.
  await runMigrations({ connectionString: url, logger: workerLogger(log) });
  await planAddJobOnce(url);
}

/**
 * Postgres plans the statements inside Graphile Worker's add_job again on every call (its arrays
 * look costlier generic): 0.3 ms of a checkout's database time. Generic plans suit them, so the
 * function asks for them, for its own duration only (a connection-wide setting would also give
 * our filters and searches generic plans). Again at every migration: Graphile's own migrations
 * may recreate the function; one of another signature is left alone.
 */
async function planAddJobOnce(url: string): Promise<void> {
  const sql = singleConnection(url);
  try {
    await sql.unsafe(`do $$ begin
      alter function graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text)
        set plan_cache_mode = force_generic_plan;
    exception when undefined_function then null;
    end $$`);
  } finally {
    await sql.end();
  }
}

/** Connects once: "missing" when the server answers but the database does not exist yet. */
export async function probeDatabase(url: string): Promise<"ok" | "missing"> {
  const probe = singleConnection(url);
  try {
    await probe`select 1`;
    return "ok";
  } catch (err) {
    if ((err as { code?: string }).code === "3D000") return "missing";
    throw err;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

async function ensureDatabase(url: string): Promise<void> {
  if ((await probeDatabase(url)) === "ok") return;
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = "/postgres";
  await createDatabaseIfMissing(admin.toString(), name);
}
