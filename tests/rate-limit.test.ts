import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TRPC_MAX_BATCH } from "../src/app";
import { listCategories } from "../src/modules/catalog/operations";
import { useTestApp } from "./harness";

const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "3" } });
// With a browser frontend's origin CORS answers early, which once let the general limit's headers win on a 429.
const browser = await useTestApp({ env: { CORS_ORIGINS: "http://shop.test" } });

describe("the per-caller limit on the REST facade", () => {
  test("counts per anonymous address, and the fourth request in a minute is 429", async () => {
    const headers = { "x-forwarded-for": "192.0.2.50" };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.rest.get("/api/v1/categories", { headers })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await t.rest.get("/api/v1/categories", { headers });
    expect(limited.body.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-limit")).toBe("3");
    // Another address has its own budget.
    expect((await t.rest.get("/api/v1/categories", { headers: { "x-forwarded-for": "192.0.2.51" } })).status).toBe(200);
  });

  test("counts per signed-in user, wherever they call from", async () => {
    const u = await t.user();
    const from = (ip: string) => ({ ...u.headers, "x-forwarded-for": ip });
    const first = await t.rest.get("/api/v1/me", { headers: from("192.0.2.60") });
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    await t.rest.get("/api/v1/me", { headers: from("192.0.2.61") });
    await t.rest.get("/api/v1/me", { headers: from("192.0.2.62") });
    expect((await t.rest.get("/api/v1/me", { headers: from("192.0.2.63") })).status).toBe(429);
  });
});

const trpcGet = (path: string, ip: string) =>
  t.app.fetch(new Request(`http://cartwright.test/trpc/${path}`, { headers: { "x-forwarded-for": ip } }));

describe("the same limit on tRPC", () => {
  test("REST and tRPC calls share one bucket per caller; over it, TOO_MANY_REQUESTS with Retry-After", async () => {
    const ip = "192.0.2.70";
    expect((await t.rest.get("/api/v1/categories", { headers: { "x-forwarded-for": ip } })).status).toBe(200);
    const second = await trpcGet("catalog.categories.list", ip);
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-remaining")).toBe("1");
    expect((await trpcGet("catalog.categories.list", ip)).status).toBe(200);
    const limited = await trpcGet("catalog.categories.list", ip);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.data.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
  });

  test("each call of a batch counts: a batch cannot multiply the budget", async () => {
    const batch = await t.app.fetch(
      new Request(
        `http://cartwright.test/trpc/catalog.categories.list,catalog.categories.list,catalog.categories.list,catalog.categories.list?batch=1&input=${encodeURIComponent("{}")}`,
        { headers: { "x-forwarded-for": "192.0.2.71" } },
      ),
    );
    const results = (await batch.json()) as { result?: unknown; error?: { data?: { code?: string } } }[];
    expect(results.map((r) => (r.result ? "ok" : r.error?.data?.code))).toEqual(["ok", "ok", "ok", "RATE_LIMITED"]);
  });
});

describe("the batch size on tRPC", () => {
  const batchOf = (n: number, ip: string) =>
    t.app.fetch(
      new Request(
        `http://cartwright.test/trpc/${Array(n).fill("catalog.categories.list").join(",")}?batch=1&input=${encodeURIComponent("{}")}`,
        { headers: { "x-forwarded-for": ip } },
      ),
    );

  test(`a batch of more than ${TRPC_MAX_BATCH} calls is refused whole with BAD_REQUEST, before any call is counted`, async () => {
    const ip = "192.0.2.80";
    const refused = await batchOf(TRPC_MAX_BATCH + 1, ip);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe("BAD_REQUEST");
    expect(body.error.message).toContain("Batch");
    // Nothing ran: the caller's budget is whole.
    const next = await t.rest.get("/api/v1/categories", { headers: { "x-forwarded-for": ip } });
    expect(next.headers.get("ratelimit-remaining")).toBe("2");
  });

  test(`a batch of ${TRPC_MAX_BATCH} runs, each call counted`, async () => {
    const results = (await (await batchOf(TRPC_MAX_BATCH, "192.0.2.81")).json()) as { result?: unknown }[];
    expect(results).toHaveLength(TRPC_MAX_BATCH);
    expect(results.filter((r) => r.result).length).toBe(3);
  });
});

describe("an operation's own limit", () => {
  // As an operation would declare it; set here on a real one so both transports serve it.
  beforeAll(() => {
    listCategories.limit = { name: "test-listing", perMinute: 2 };
  });
  afterAll(() => {
    delete listCategories.limit;
  });

  test("REST: counted per caller under the general limit, its headers on success and on the 429", async () => {
    const headers = { "x-forwarded-for": "192.0.2.90" };
    const first = await t.rest.get("/api/v1/categories", { headers });
    expect(first.headers.get("ratelimit-limit")).toBe("2");
    expect(first.headers.get("ratelimit-remaining")).toBe("1");
    expect((await t.rest.get("/api/v1/categories", { headers })).status).toBe(200);
    const limited = await t.rest.get("/api/v1/categories", { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit-limit")).toBe("2");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    expect(limited.headers.get("ratelimit-reset")).toBe(limited.headers.get("retry-after"));
  });

  test("tRPC: the same limit, in the same bucket as REST", async () => {
    const ip = "192.0.2.92";
    expect((await t.rest.get("/api/v1/categories", { headers: { "x-forwarded-for": ip } })).status).toBe(200);
    const second = await trpcGet("catalog.categories.list", ip);
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-limit")).toBe("2");
    const limited = await trpcGet("catalog.categories.list", ip);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { data: { code: string } } }).error.data.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("ratelimit-limit")).toBe("2");
    expect(limited.headers.get("ratelimit-reset")).toBe(limited.headers.get("retry-after"));
  });
});

const SIGN_IN_WINDOW = 15 * 60;

describe("the RateLimit-* headers of a 429 from a stricter limit", () => {
  const signIn = async (path: "rest" | "trpc", email: string, ip: string) => {
    const { app } = browser;
    const headers = { "content-type": "application/json", origin: "http://shop.test", "x-forwarded-for": ip };
    const body = JSON.stringify({ email, password: "wrong password!!" });
    const url = path === "rest" ? "/api/v1/auth/sessions" : "/trpc/auth.signIn";
    return app.fetch(new Request(`http://cartwright.test${url}`, { method: "POST", headers, body }));
  };

  for (const transport of ["rest", "trpc"] as const) {
    test(`${transport}: a sign-in refused by its own limit says that limit, not the general one`, async () => {
      const u = await browser.user();
      const ip = transport === "rest" ? "192.0.2.100" : "192.0.2.101";
      // The sign-in limit counts in 15-minute windows aligned to the clock: begin well inside one,
      // so all six attempts fall in it (a run crossing 12:15:00 once saw a new window).
      const untilReset = () => SIGN_IN_WINDOW - (Math.floor(Date.now() / 1000) % SIGN_IN_WINDOW);
      if (untilReset() < 10) await Bun.sleep(untilReset() * 1000 + 200);
      for (let i = 0; i < 5; i++) expect((await signIn(transport, u.email, ip)).status).toBe(401);
      const limited = await signIn(transport, u.email, ip);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("ratelimit-limit")).toBe("5");
      expect(limited.headers.get("ratelimit-remaining")).toBe("0");
      // Its own window's end, not the general limit's minute.
      expect(Math.abs(Number(limited.headers.get("retry-after")) - untilReset())).toBeLessThanOrEqual(1);
      expect(limited.headers.get("ratelimit-reset")).toBe(limited.headers.get("retry-after"));
    });
  }
});
