import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Subprocess } from "bun";
import { Redis } from "ioredis";
import pino from "pino";
import { RedisStore } from "../src/lib/kv";
import { createTestApp, type TestApp } from "./harness";
import { READY_ENV, readyDetails } from "./ready";
import { freePort, startRedisServer, waitForRedis } from "./services";

// These tests stop and restart a Redis of their own, so they need the binary.
const bin = Bun.which("redis-server");

describe.skipIf(!bin)("when Redis goes away and comes back (private redis-server)", () => {
  let port = 0;
  let server: Subprocess;
  let t: TestApp;
  let probe: Redis;
  let asAdmin: Record<string, string>;
  beforeAll(async () => {
    port = await freePort();
    server = startRedisServer(bin as string, port);
    await waitForRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    t = await createTestApp({ env: { REDIS_URL: url, REDIS_KEY_PREFIX: "outage:", ...READY_ENV } });
    asAdmin = (await t.user("admin")).headers;
    probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    probe.on("error", () => {});
  });
  afterAll(async () => {
    probe.disconnect();
    server.kill();
    await server.exited;
    await t.close();
  });
  const cachedTree = async () => (await probe.keys("outage:c:catalog:category-tree")).length;
  const ready = async () => (await readyDetails(t.app)).body;

  test("caches on Redis while it is up", async () => {
    await probe.connect();
    expect((await t.rest.get("/api/v1/categories")).status).toBe(200);
    expect(await cachedTree()).toBe(1);
    expect((await ready()).checks.redis).toBe("ok");
  });

  test("keeps answering without cache while it is down; /ready says degraded", async () => {
    server.kill();
    await server.exited;
    const created = await t.rest.post("/api/v1/admin/categories", { name: "Made while down" }, { headers: asAdmin });
    expect(created.status).toBe(201);
    const list = await t.rest.get("/api/v1/categories");
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toContain("made-while-down");
    const body = await ready();
    expect(body.status).toBe("degraded");
    expect(body.checks.redis).toBe("down");
  });

  test("resumes caching by itself when it is back", async () => {
    server = startRedisServer(bin as string, port);
    await waitForRedis(port);
    let status = "";
    for (let i = 0; i < 60 && status !== "ok"; i++) {
      await Bun.sleep(100);
      status = (await ready()).checks.redis;
    }
    expect(status).toBe("ok");
    const list = await t.rest.get("/api/v1/categories");
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toContain("made-while-down");
    expect(await cachedTree()).toBe(1);
  });
});

describe.skipIf(!bin)("RedisStore outage logging (private redis-server)", () => {
  test("says it is unavailable once per outage, not once per command", async () => {
    const lines: { level: number; msg: string }[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const port = await freePort();
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, log });
    await store.connect();
    for (let i = 0; i < 5; i++) await store.mget(["k"]).catch(() => null);
    await Bun.sleep(700);
    const warnings = lines.filter((l) => l.msg.startsWith("redis unavailable"));
    expect(warnings).toHaveLength(1);
    await store.close();
  });
});
