import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_DIR } from "../src/db/embedded";
import { useTestApp } from "./harness";
import { type Exited, runToExit } from "./server-process";
import { freePort } from "./services";

// Every start-up failure ends the process by itself, non-zero, within 10 s,
// with one line saying what failed, where, and what to do.

const isRoot = process.getuid?.() === 0;
const BOOT_DEADLINE_MS = 10_000;
const t = await useTestApp();
const scratch = mkdtempSync(join(tmpdir(), "cartwright-bootfail-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (cmd: string[], env: Record<string, string>, deadline = BOOT_DEADLINE_MS) =>
  runToExit(["bun", ...cmd], { LOG_LEVEL: "warn", ...env }, deadline);

/** Exited 1 by itself, and its last stderr line names what failed and what to do. */
function expectFailedStart(result: Exited, ...mentions: string[]): string {
  expect(result.exitedByItself).toBe(true);
  expect(result.code).toBe(1);
  const line = result.stderr.trim().split("\n").at(-1) ?? "";
  expect(line).toMatch(/^cartwright: .+ failed: .+\. [A-Z].+/);
  for (const m of mentions) expect(line).toContain(m);
  expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
  return line;
}

describe("the embedded Postgres cannot start", () => {
  test("an EMBEDDED_PG_DIR that cannot be created: exit 1 naming it and EMBEDDED_PG_DIR", async () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "not a directory");
    const dir = join(file, "pg");
    const line = expectFailedStart(await run(["src/index.ts"], { EMBEDDED_PG_DIR: dir }), dir, "EMBEDDED_PG_DIR");
    expect(line).toContain("ENOTDIR");
  });

  test("a data directory Postgres refuses: exit 1 with Postgres' own reason", async () => {
    const dir = join(scratch, "open", "broken-pg");
    mkdirSync(dir, { recursive: true });
    chmodSync(join(scratch), 0o755);
    chmodSync(join(scratch, "open"), 0o755);
    writeFileSync(join(dir, "PG_VERSION"), "18\n");
    const result = await run(["src/index.ts"], { EMBEDDED_PG_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()) });
    const line = expectFailedStart(result, `starting the embedded Postgres in ${dir}`, "DATABASE_URL");
    expect(line).toContain("postgresql.conf");
  });

  test.skipIf(!isRoot)(
    "as root, an EMBEDDED_PG_DIR the postgres user cannot enter: exit 1 naming the closed directory (root only: Postgres runs as another user only under root)",
    async () => {
      const closed = mkdtempSync(join(tmpdir(), "cartwright-closed-"));
      try {
        const line = expectFailedStart(
          await run(["src/index.ts"], { EMBEDDED_PG_DIR: join(closed, "pg") }),
          `EMBEDDED_PG_DIR=${join(closed, "pg")}`,
          `cannot enter ${closed} (mode 0700`,
        );
        expect(line).toContain("set DATABASE_URL");
      } finally {
        rmSync(closed, { recursive: true, force: true });
      }
    },
  );
});

describe("an outside service is not there", () => {
  test("a DATABASE_URL nothing answers: server, worker, db:migrate and db:seed exit 1 naming the address, never the password", async () => {
    const port = await freePort();
    const env = { DATABASE_URL: `postgres://shop:s3cret-pw@127.0.0.1:${port}/shop` };
    for (const cmd of ["src/index.ts", "src/worker.ts", "scripts/migrate.ts", "scripts/seed.ts"]) {
      const result = await run([cmd], env);
      expectFailedStart(result, `Postgres at 127.0.0.1:${port}/shop`, "ECONNREFUSED", "DATABASE_URL");
      expect(result.output).not.toContain("s3cret-pw");
    }
  });

  test("a REDIS_URL nothing answers: exit 1 naming Redis and REDIS_URL", async () => {
    const port = await freePort();
    const result = await run(["src/index.ts"], {
      DATABASE_URL: t.databaseUrl,
      MIGRATE_ON_BOOT: "false",
      REDIS_URL: `redis://127.0.0.1:${port}`,
    });
    expectFailedStart(result, `connecting to Redis at 127.0.0.1:${port}`, "REDIS_URL");
  });

  test("bun run bench with a DATABASE_URL nothing answers: exit 1 with the server's reason, and no embedded data made", async () => {
    const port = await freePort();
    const shared = join(SHARED_DIR, "postgres");
    const before = existsSync(shared) ? readdirSync(shared).sort() : [];
    const result = await run(["bench/run.ts", "--rounds", "1", "--duration", "1", "--warmup", "0"], {
      DATABASE_URL: `postgres://x:y@127.0.0.1:${port}/x`,
    });
    expect(result.exitedByItself).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cartwright: connecting to Postgres at 127.0.0.1:${port}/x failed`);
    expect(existsSync(shared) ? readdirSync(shared).sort() : []).toEqual(before);
  });
});

describe("the port is taken", () => {
  test("exit 1 naming the port, even with the worker already started", async () => {
    const holder = Bun.listen({ hostname: "0.0.0.0", port: 0, socket: { data() {} } });
    try {
      const result = await run(["src/index.ts"], {
        DATABASE_URL: t.databaseUrl,
        MIGRATE_ON_BOOT: "false",
        PORT: String(holder.port),
      });
      expectFailedStart(result, `listening on 0.0.0.0:${holder.port}`, "EADDRINUSE", "set PORT");
    } finally {
      holder.stop(true);
    }
  });
});

describe("bun test when its Postgres cannot be had", () => {
  const bunTest = (env: Record<string, string>) => runToExit(["bun", "test", "src/config.test.ts"], env, 30_000);

  test("an unreachable TEST_DATABASE_URL: exit 1 within 30 s, saying so", async () => {
    const result = await bunTest({ TEST_DATABASE_URL: `postgres://x:y@127.0.0.1:${await freePort()}/x` });
    expect(result.exitedByItself).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cartwright tests: could not prepare the test services: connect ECONNREFUSED");
    expect(result.stderr).toContain("TEST_DATABASE_URL");
    expect(result.output).not.toContain("pass");
  });

  test("an embedded Postgres that cannot start (no usable TMPDIR): exit 1 within 30 s, saying so", async () => {
    const file = join(scratch, "tmp-is-a-file");
    writeFileSync(file, "");
    const result = await bunTest({ TMPDIR: file });
    expect(result.exitedByItself).toBe(true);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cartwright tests: could not prepare the test services: ENOTDIR");
  });
});
