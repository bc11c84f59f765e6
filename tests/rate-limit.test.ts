import { describe, expect, test } from "bun:test";
import { useTestApp } from "./harness";

const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "3" } });

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

describe("the same limit on tRPC", () => {
  const trpcGet = (path: string, ip: string) =>
    t.app.fetch(new Request(`http://cartwright.test/trpc/${path}`, { headers: { "x-forwarded-for": ip } }));

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
