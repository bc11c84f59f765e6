import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Subprocess, spawn } from "bun";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/db/embedded";
import { MIGRATIONS_DIR, migrateDatabase } from "../src/db/migrate";
import { createLogger } from "../src/lib/logger";
import { freePort } from "../src/lib/ports";

export { freePort };

// The services a test run needs, started once per run by tests/preload.ts.

const quiet = createLogger({ level: "silent", pretty: false });

export interface TestPostgres {
  /** A URL to a database we may create and drop databases from. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** TEST_DATABASE_URL's server when set, else a throwaway embedded Postgres tuned for speed over durability. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { adminUrl: external, stop: async () => {} };
  const root = mkdtempSync(join(tmpdir(), "cartwright-test-"));
  // The server runs as the `postgres` user, which must be able to reach its data directory.
  chmodSync(root, 0o755);
  const pg = await startEmbeddedPostgres({
    dir: join(root, "pg"),
    port: await freePort(),
    database: "postgres",
    log: quiet,
    persistent: false,
    flags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
  });
  return {
    adminUrl: pg.adminUrl,
    stop: async () => {
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Named by a hash of the migrations, so a changed schema gets a new template and an unchanged one is reused. */
export function templateName(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  }
  hash.update(readFileSync(new URL("../node_modules/graphile-worker/package.json", import.meta.url)));
  return `cw_tpl_${hash.digest("hex").slice(0, 16)}`;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * Builds the migrated template once. Parallel runners (`--parallel`, several
 * CI jobs on one server) serialise on an advisory lock and build into a
 * temporary name, renamed when complete, so nobody clones a half-built one.
 */
export async function ensureTemplate(adminUrl: string): Promise<string> {
  const name = templateName();
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await sql`select pg_advisory_lock(hashtext('cartwright-test-template'))`;
    const [found] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!found) {
      const building = `${name}_build_${process.pid}`;
      await sql.unsafe(`drop database if exists "${building}"`);
      await sql.unsafe(`create database "${building}"`);
      await migrateDatabase(withDatabase(adminUrl, building), quiet);
      await sql.unsafe(`alter database "${building}" rename to "${name}"`);
      // Templates of older schemas only take space.
      const stale = await sql`select datname from pg_database where datname like 'cw\\_tpl\\_%' and datname <> ${name}`;
      for (const { datname } of stale)
        await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
    await sql`select pg_advisory_unlock(hashtext('cartwright-test-template'))`;
  } finally {
    await sql.end();
  }
  return name;
}

export interface TestRedis {
  url: string | null;
  stop(): Promise<void>;
}

/** TEST_REDIS_URL when set, else a private redis-server from PATH on a free port, else none. */
export async function startTestRedis(): Promise<TestRedis> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, stop: async () => {} };
  const bin = Bun.which("redis-server");
  if (!bin) return { url: null, stop: async () => {} };
  const port = await freePort();
  const proc = startRedisServer(bin, port);
  await waitForRedis(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}

export function startRedisServer(bin: string, port: number): Subprocess {
  return spawn([bin, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdout: "ignore",
    stderr: "ignore",
  });
}

export async function waitForRedis(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const up = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } })
      .then((s) => {
        s.end();
        return true;
      })
      .catch(() => false);
    if (up) return;
    await Bun.sleep(50);
  }
  throw new Error(`redis-server did not start on port ${port}`);
}
