import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { BootError } from "../../lib/boot-error";
import { blockedAt, canReach, type SystemUser, sharedSubdir } from "./system-user";

const PLACE_HINT =
  "set EMBEDDED_PG_DIR to a directory the postgres user can reach, or set DATABASE_URL to your own Postgres";

/** Where the data directory is, and why when it is not where it was asked for. */
export interface DataDirChoice {
  dir: string;
  /** Set when the default place was unreachable for the postgres user: what blocked it. */
  movedBecause?: string;
}

/**
 * Picks the data directory. Not root: `requested`, else `fallback` (relative to
 * the working directory). Root: Postgres runs as `user`, who must be able to
 * enter every directory on the way. A directory the person chose
 * (EMBEDDED_PG_DIR) is used as given or refused; the default, when the
 * checkout is closed to that user, moves under `sharedDir`, to a name derived
 * from the default's path, so every later start finds the same data again.
 */
export function chooseDataDir(opts: {
  requested: string | undefined;
  fallback: string;
  user: SystemUser | null;
  sharedDir: string;
}): DataDirChoice {
  const { user } = opts;
  const wanted = resolve(opts.requested ?? opts.fallback);
  make(wanted, opts.requested !== undefined);
  if (!user || canReach(user, dirname(wanted))) return { dir: wanted };
  const blocked = blockedAt(user, dirname(wanted));
  if (opts.requested !== undefined) {
    throw new BootError(
      `using EMBEDDED_PG_DIR=${wanted}`,
      `the postgres user, which Postgres runs as under root, cannot enter ${blocked}`,
      `set EMBEDDED_PG_DIR to a directory the postgres user can reach (for example ${join(opts.sharedDir, "postgres", "my-store")}), or set DATABASE_URL to your own Postgres`,
    );
  }
  const name = `${safeName(basename(process.cwd()))}-${basename(wanted)}-${digest(wanted)}`;
  let dir = join(opts.sharedDir, "postgres", name);
  try {
    dir = join(sharedSubdir(opts.sharedDir, "postgres"), name);
  } catch (err) {
    throw new BootError(`placing the embedded Postgres data in ${dir}`, err, PLACE_HINT);
  }
  make(dir, false);
  if (!canReach(user, dirname(dir))) {
    throw new BootError(
      `placing the embedded Postgres data in ${dir}`,
      `the postgres user cannot enter ${blockedAt(user, dirname(dir))}`,
      PLACE_HINT,
    );
  }
  return { dir, movedBecause: `the postgres user cannot enter ${blocked}` };
}

/** Hands a new data directory to the user Postgres runs as (initdb insists on owning it). */
export function handOver(dir: string, user: SystemUser | null): void {
  if (user && !existsSync(join(dir, "PG_VERSION"))) chownSync(dir, user.uid, user.gid);
}

function make(dir: string, chosen: boolean): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new BootError(
      `creating the embedded Postgres data directory ${dir}`,
      err,
      chosen
        ? "set EMBEDDED_PG_DIR to a directory you can write, or set DATABASE_URL to your own Postgres"
        : "run from a directory you can write, set EMBEDDED_PG_DIR, or set DATABASE_URL to your own Postgres",
    );
  }
}

const digest = (path: string) => createHash("sha256").update(path).digest("hex").slice(0, 12);
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 40) || "store";
