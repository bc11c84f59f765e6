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
