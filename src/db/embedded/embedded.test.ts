import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BootError } from "../../lib/boot-error";
import { createLogger } from "../../lib/logger";
import { freePort } from "../../lib/ports";
import { connectDatabase } from "../client";
import { locateBinaries, reachableBinaries } from "./binaries";
import { chooseDataDir } from "./data-dir";
import { startEmbeddedPostgres } from "./index";
import { canReach, postgresUser } from "./system-user";

const isRoot = process.getuid?.() === 0;
const ROOT_ONLY = "(root only: Postgres runs as the postgres user only under root)";
const scratch = mkdtempSync(join(tmpdir(), "cartwright-embedded-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("chooseDataDir", () => {
  test("a place its user can reach: the directory asked for, made if missing, wherever it is asked from", () => {
    const open = join(scratch, "open");
    mkdirSync(open);
    chmodSync(scratch, 0o755);
    try {
      const choice = chooseDataDir({
        requested: join(open, "pg"),
        fallback: "unused",
        user: postgresUser(),
        sharedDir: join(scratch, "shared-unused"),
      });
      expect(choice).toEqual({ dir: join(open, "pg") });
      expect(existsSync(join(open, "pg"))).toBe(true);
      expect(existsSync(join(scratch, "shared-unused"))).toBe(false);
    } finally {
      chmodSync(scratch, 0o700);
    }
  });
});

describe.skipIf(!isRoot)(`as root, inside a 0700 directory ${ROOT_ONLY}`, () => {
  const user = postgresUser();
  // An open folder holding a closed one (a person's 0700 home or `mktemp -d`) and our shared place.
  const outer = mkdtempSync(join(tmpdir(), "cartwright-asroot-"));
  chmodSync(outer, 0o755);
  const closed = mkdtempSync(join(outer, "closed-"));
  const shared = join(outer, "var-lib-cartwright");
  afterAll(() => rmSync(outer, { recursive: true, force: true }));

  test("the default data directory moves under the shared directory, to the same place on every start", () => {
    const ask = () => chooseDataDir({ requested: undefined, fallback: join(closed, "pg"), user, sharedDir: shared });
    const first = ask();
    expect(first.dir.startsWith(join(shared, "postgres"))).toBe(true);
    expect(first.movedBecause).toContain(`cannot enter ${closed} (mode 0700`);
    expect(ask()).toEqual(first);
    expect(canReach(user, first.dir)).toBe(true);
    // The person's directory keeps its mode.
    expect(statSync(closed).mode & 0o777).toBe(0o700);
  });

  test("an EMBEDDED_PG_DIR there is refused with a BootError naming the closed directory", () => {
    const attempt = () => chooseDataDir({ requested: join(closed, "mine"), fallback: "x", user, sharedDir: shared });
    expect(attempt).toThrow(BootError);
    expect(attempt).toThrow(`cannot enter ${closed} (mode 0700`);
  });

  // Copies and links the whole binary tree (about 100 MB): disk-bound, seconds on a cold cache (CI timed out at 5 s).
  test("binaries the postgres user cannot run are mirrored where it can, and the mirror runs", () => {
    const installed = locateBinaries();
    // A package tree inside the closed directory, as a 0700 checkout has it.
    const hidden = join(closed, "native");
    expect(spawnSync("cp", ["-a", installed.root, hidden]).status).toBe(0);
    const inside = {
      ...installed,
      root: hidden,
      postgres: join(hidden, "bin", "postgres"),
      initdb: join(hidden, "bin", "initdb"),
    };
    expect(canReach(user, inside.postgres)).toBe(false);

    const { binaries, staged } = reachableBinaries(inside, user, shared);
    expect(staged).toBe(true);
    expect(binaries.root.startsWith(join(shared, "binaries"))).toBe(true);
    expect(binaries.root).toContain(installed.version);
    const version = spawnSync(binaries.postgres, ["--version"], { uid: user?.uid, gid: user?.gid, encoding: "utf8" });
    expect(version.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
    // A second start reuses the mirror.
    expect(reachableBinaries(inside, user, shared).binaries.root).toBe(binaries.root);
  }, 60_000);
});

describe("startEmbeddedPostgres", () => {
  test("hands the app a URL through its Unix socket, and keeps TCP on loopback for the admin URL", async () => {
    const open = mkdtempSync(join(tmpdir(), "cartwright-socket-"));
    chmodSync(open, 0o755);
    const pg = await startEmbeddedPostgres({
      dir: join(open, "pg"),
      port: await freePort(),
      database: "postgres",
      log: createLogger({ level: "silent", pretty: false }),
      persistent: false,
    });
    try {
      expect(new URL(pg.url).searchParams.get("host")).toBe(pg.dir);
      const app = connectDatabase(pg.url, 1);
      const admin = connectDatabase(pg.adminUrl, 1);
      try {
        // inet_server_addr() is null on a Unix socket, the address on TCP.
        const [viaSocket] = await app.sql`select inet_server_addr() as addr`;
        const [viaTcp] = await admin.sql`select host(inet_server_addr()) as addr`;
        expect(viaSocket?.addr).toBeNull();
        expect(viaTcp?.addr).toBe("127.0.0.1");
      } finally {
        await app.close();
        await admin.close();
      }
    } finally {
      await pg.stop();
      rmSync(open, { recursive: true, force: true });
    }
  }, 60_000);
});
