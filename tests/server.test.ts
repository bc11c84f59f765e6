import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { useTestApp } from "./harness";
import { READY_ENV, readyHeaders } from "./ready";
import { createCategoryAsDemoAdmin, processesMentioning, startServer, waitUntil } from "./server-process";
import { freePort } from "./services";

const postgresOf = (dir: string) => processesMentioning(`-D ${dir}`);

describe("bun src/index.ts with nothing configured (embedded Postgres)", () => {
  const root = mkdtempSync(join(tmpdir(), "cartwright-boot-"));
  chmodSync(root, 0o755);
  const dataDir = join(root, "postgres");
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const env = async () => ({
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    MAIL_DIR: join(root, "mail"),
  });

  test("first run seeds; SIGTERM leaves no postgres; a restart keeps the data; SIGKILL leaves no orphan", async () => {
    const first = await startServer(await env());
    expect(first.output()).toContain("database: embedded postgres");
    const seeded = await (await fetch(`${first.url}/api/v1/categories`)).json();
    expect(seeded.items.map((c: { slug: string }) => c.slug)).toEqual(["clothing", "footwear", "accessories", "home"]);
    for (const path of ["/health", "/docs", "/api/v1/openapi.json"]) {
      expect((await fetch(first.url + path)).status).toBe(200);
    }
    // The seeded demo admin signs in and creates a category.
    expect(await createCategoryAsDemoAdmin(first.url, "Kept across restarts")).toBe(201);
    expect(postgresOf(dataDir).length).toBeGreaterThan(0);

    first.proc.kill("SIGTERM");
    expect(await first.proc.exited).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);

    const second = await startServer(await env());
    const kept = await fetch(`${second.url}/api/v1/categories/kept-across-restarts`);
    expect(kept.status).toBe(200);
    const again = await (await fetch(`${second.url}/api/v1/categories`)).json();
    expect(again.items).toHaveLength(5);

    // A crash nobody can catch: the watchdog stops the orphaned postmaster.
    second.proc.kill("SIGKILL");
    await second.proc.exited;
    expect(await waitUntil(() => postgresOf(dataDir).length === 0, 10_000)).toBe(true);

    const third = await startServer(await env());
    expect((await fetch(`${third.url}/api/v1/categories/kept-across-restarts`)).status).toBe(200);
    third.proc.kill("SIGINT");
    expect(await third.proc.exited).toBe(0);
    expect(postgresOf(dataDir)).toEqual([]);
  }, 120_000);
});

describe("external mode: DATABASE_URL and REDIS_URL set", () => {
  test("creates and migrates a missing database, uses Redis, and db:seed is idempotent with progress", async () => {
    const url = new URL(process.env.CW_TEST_PG_ADMIN_URL ?? "");
    url.pathname = `/cw_external_${process.pid}`;
    const env = {
      ...READY_ENV,
      DATABASE_URL: url.toString(),
      ...(process.env.CW_TEST_REDIS_URL && {
        REDIS_URL: process.env.CW_TEST_REDIS_URL,
        REDIS_KEY_PREFIX: `ext${process.pid}:`,
      }),
    };
    const server = await startServer(env);
    try {
      const ready = await (await fetch(`${server.url}/ready`, { headers: readyHeaders })).json();
      expect(ready.checks.postgres).toBe("ok");
      expect(ready.checks.redis).toBe(process.env.CW_TEST_REDIS_URL ? "ok" : "disabled");
      expect(ready.checks.worker).toBe("ok");
      expect(server.output()).toContain(`database: postgres at ${url.host}${url.pathname}`);
      // External databases are never seeded implicitly.
      expect((await (await fetch(`${server.url}/api/v1/categories`)).json()).items).toEqual([]);

      const seed = () => {
        const proc = Bun.spawnSync(["bun", "scripts/seed.ts"], {
          cwd: join(import.meta.dir, ".."),
          env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
        });
        return { code: proc.exitCode, stderr: proc.stderr.toString() };
      };
      const first = seed();
      expect(first.code).toBe(0);
      expect(first.stderr).toContain("accounts: 3/3");
      expect(first.stderr).toContain("categories: 14/14");
      // 3 accounts, 14 categories, 8 collections, 1,000 products, 6 shipping methods, 10 tax rates, 3 promotions.
      expect(first.stderr).toContain("seed done: 1,050 created");
      expect(first.stderr).toContain("admin@cartwright.test  password: cartwright-admin-demo");
      expect(seed().stderr).toContain("seed done: 0 created");
      const tree = await (await fetch(`${server.url}/api/v1/categories`)).json();
      expect(tree.items.map((c: { slug: string }) => c.slug)).toEqual(["clothing", "footwear", "accessories", "home"]);
    } finally {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
      const admin = postgres(process.env.CW_TEST_PG_ADMIN_URL ?? "", { max: 1 });
      await admin.unsafe(`drop database if exists "cw_external_${process.pid}" with (force)`);
      await admin.end();
    }
  }, 60_000);
});

describe("graceful shutdown (external Postgres)", () => {
  test("SIGTERM during a slow request lets it finish, then exits 0", async () => {
    const t = await useTestApp();
    const admin = await t.user("admin");
    const server = await startServer({ DATABASE_URL: t.databaseUrl, MIGRATE_ON_BOOT: "false" });
    const body = JSON.stringify({ name: "Slow but complete" });
    const half = Math.floor(body.length / 2);
    let response = "";
    const socket = await Bun.connect({
      hostname: "127.0.0.1",
      port: server.port,
      socket: {
        data(_s, chunk) {
          response += new TextDecoder().decode(chunk);
        },
      },
    });
    // A client still uploading its body: the request is in flight when the signal comes.
    socket.write(
      `POST /api/v1/admin/categories HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${admin.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
    );
    await Bun.sleep(300);
    server.proc.kill("SIGTERM");
    await Bun.sleep(700);
    socket.write(body.slice(half));
    expect(await server.proc.exited).toBe(0);
    expect(response).toStartWith("HTTP/1.1 201");
    expect(response).toContain('"slug":"slow-but-complete"');
    const [row] = await t.sql`select count(*)::int as n from categories where slug = 'slow-but-complete'`;
    expect(row?.n).toBe(1);
  }, 60_000);
});

describe("bun run worker (the worker alone)", () => {
  test("runs committed jobs and stops cleanly on SIGTERM", async () => {
    const t = await useTestApp();
    await t.sql`insert into idempotency_keys (scope, key, request_hash, expires_at) values ('s', 'old', 'h', now() - interval '1 hour')`;
    await t.sql`select graphile_worker.add_job('purge-idempotency-keys', '{}'::json)`;
    const worker = Bun.spawn(["bun", "src/worker.ts"], {
      cwd: join(import.meta.dir, ".."),
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: t.databaseUrl, MIGRATE_ON_BOOT: "false", LOG_LEVEL: "warn" },
      stdout: "ignore",
      stderr: "pipe",
    });
    let purged = false;
    for (let i = 0; i < 100 && !purged; i++) {
      await Bun.sleep(100);
      purged = (await t.sql`select 1 from idempotency_keys where key = 'old'`).length === 0;
    }
    worker.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(purged).toBe(true);
    expect(await t.sql`select 1 from graphile_worker.jobs`).toHaveLength(0);
  }, 30_000);
});

describe("bun run admin:create", () => {
  test("creates an admin who can sign in with the password it prints once", async () => {
    const t = await useTestApp();
    const proc = Bun.spawnSync(["bun", "scripts/create-admin.ts", "--email", "Owner@Shop.test", "--name", "Owner"], {
      cwd: join(import.meta.dir, ".."),
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: t.databaseUrl, LOG_LEVEL: "warn" },
    });
    const stderr = proc.stderr.toString();
    expect(proc.exitCode).toBe(0);
    const password = stderr.match(/password \(shown once\): (\S+)/)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(20);
    const session = await t.rest.post("/api/v1/auth/sessions", { email: "owner@shop.test", password });
    expect(session.status).toBe(201);
    expect(session.body.user.role).toBe("admin");
  });
});

describe("configuration", () => {
  test("a bad value stops boot with one line naming the variable", async () => {
    const proc = Bun.spawn(["bun", "src/index.ts"], {
      cwd: join(import.meta.dir, ".."),
      env: { PATH: process.env.PATH ?? "", PORT: "not-a-port", REDIS_URL: "http://wrong" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(1);
    const stderr = (await new Response(proc.stderr).text()).trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain("PORT:");
    expect(stderr).toContain("REDIS_URL: must be a URL (redis, rediss)");
  });
});
