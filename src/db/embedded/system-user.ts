import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { BootError } from "../../lib/boot-error";

/** The account the embedded Postgres runs as. */
export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

const NAME = "postgres";

/**
 * Postgres refuses to run as root, so as root it runs as the `postgres` system
 * user, created when missing. Anyone else runs it as themselves (null).
 */
export function postgresUser(): SystemUser | null {
  if (process.getuid?.() !== 0) return null;
  const found = lookup(NAME);
  if (found) return found;
  const group = spawnSync("groupadd", ["--system", NAME], { encoding: "utf8" });
  const user = spawnSync(
    "useradd",
    ["--system", "--gid", NAME, "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", NAME],
    { encoding: "utf8" },
  );
  const created = lookup(NAME);
  if (created) return created;
  const why = (user.stderr || group.stderr || user.error?.message || "useradd failed").trim();
  throw new BootError(
    "creating the postgres system user (Postgres refuses to run as root)",
    why,
    "create a `postgres` user yourself (useradd --system postgres), run as another user, or set DATABASE_URL to your own Postgres",
  );
}

function lookup(name: string): SystemUser | null {
  const id = (flag: string) => {
    const out = spawnSync("id", [flag, name], { encoding: "utf8" });
    const n = Number.parseInt(out.stdout ?? "", 10);
    return out.status === 0 && Number.isInteger(n) ? n : null;
  };
  const uid = id("-u");
  const gid = id("-g");
  return uid === null || gid === null ? null : { name, uid, gid };
}

/**
 * Whether `user` may enter the directory, or run the file, at `path`: asked of the kernel by running
 * `test -x` as that user, so groups, ACLs and mounts count as Postgres will see them.
 */
export function canReach(user: SystemUser | null, path: string): boolean {
  if (!user) return true;
  return spawnSync("test", ["-x", path], { uid: user.uid, gid: user.gid }).status === 0;
}

/** The first directory on the way to `path` that `user` cannot enter, described for a person. */
export function blockedAt(user: SystemUser, path: string): string {
  const chain: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    chain.unshift(p);
    if (p === dirname(p)) break;
  }
  const blocked = chain.find((p) => !canReach(user, p)) ?? resolve(path);
  try {
    const st = statSync(blocked);
    return `${blocked} (mode ${(st.mode & 0o777).toString(8).padStart(4, "0")}, owner uid ${st.uid})`;
  } catch {
    return blocked;
  }
}

/**
 * `sharedDir/sub`, made when missing and opened to every user whatever the
 * umask: it holds only what the postgres user must reach, never a person's files.
 */
export function sharedSubdir(sharedDir: string, sub: string): string {
  const dir = join(sharedDir, sub);
  mkdirSync(dir, { recursive: true });
  for (const d of [sharedDir, dir]) chmodSync(d, 0o755);
  return dir;
}
