import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { randomToken } from "../../../lib/tokens";
import { failedCredentialLimit } from "../authenticate";

const t = await useTestApp();
const MAX = failedCredentialLimit("any").max;
let ips = 0;
const newIp = () => `203.0.113.${++ips}`;
const bearer = (secret: string, ip: string) => ({ authorization: `Bearer ${secret}`, "x-forwarded-for": ip });
const trpcGet = (path: string, headers: Record<string, string>) =>
  t.app.fetch(new Request(`http://cartwright.test/trpc/${path}`, { headers }));

describe("failed credentials per client address", () => {
  test("REST: past the limit an address gets 429 for credentials it has not used yet, naming that limit", async () => {
    const ip = newIp();
    const known = await t.user();
    // Used once before the failures: this process knows the session now.
    expect((await t.rest.get("/api/v1/me", { headers: { ...known.headers, "x-forwarded-for": ip } })).status).toBe(200);
    for (let i = 0; i < MAX; i++) {
      expect((await t.rest.get("/api/v1/me", { headers: bearer(randomToken(), ip) })).status).toBe(401);
    }
    const refused = await t.rest.get("/api/v1/me", { headers: bearer(randomToken(), ip) });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe("RATE_LIMITED");
    expect(refused.headers.get("ratelimit-limit")).toBe(String(MAX));
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-reset")).toBe(refused.headers.get("retry-after"));

    // A valid session this process has not seen is refused too: the database, which would accept it, is not asked.
    const unseen = await t.user();
    expect((await t.rest.get("/api/v1/me", { headers: { ...unseen.headers, "x-forwarded-for": ip } })).status).toBe(
      429,
    );
    // A credential already known is served as before, and another address is not blocked.
    expect((await t.rest.get("/api/v1/me", { headers: { ...known.headers, "x-forwarded-for": ip } })).status).toBe(200);
    expect((await t.rest.get("/api/v1/me", { headers: unseen.headers })).status).toBe(200);
  });

  test("tRPC: bad API keys and session tokens share the budget; over it, TOO_MANY_REQUESTS with its own RateLimit-*", async () => {
    const ip = newIp();
    for (let i = 0; i < MAX; i++) {
      const secret = i % 2 === 0 ? `ck_${randomToken()}` : randomToken();
      expect((await trpcGet("me.get", bearer(secret, ip))).status).toBe(401);
    }
    const refused = await trpcGet("admin.customers.list", bearer(`ck_${randomToken()}`, ip));
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { data: { code: string } } };
    expect(body.error.data.code).toBe("RATE_LIMITED");
    expect(refused.headers.get("ratelimit-limit")).toBe(String(MAX));
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("ratelimit-reset")).toBe(refused.headers.get("retry-after"));
    // REST shares it: the address is refused there too.
    expect((await t.rest.get("/api/v1/me", { headers: bearer(randomToken(), ip) })).status).toBe(429);
  });

  test("a valid credential used for the first time costs nothing from the budget", async () => {
    const ip = newIp();
    for (let i = 0; i < MAX + 3; i++) {
      const u = await t.user();
      expect((await trpcGet("me.get", { ...u.headers, "x-forwarded-for": ip })).status).toBe(200);
    }
  });
});
