import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { READY_ENV, readyDetails } from "../../../../tests/ready";
import { freePort } from "../../../lib/ports";

// Redis configured but not reachable: a port nothing listens on.
const t = await useTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, ...READY_ENV } });

describe("sign-in with Redis down", () => {
  test("still works, and is still rate limited in-process", async () => {
    const u = await t.user();
    const headers = { "x-forwarded-for": "192.0.2.7" };
    const signIn = (password: string) =>
      t.rest.post("/api/v1/auth/sessions", { email: u.email, password }, { headers });
    expect((await signIn(u.password)).status).toBe(201);
    for (let i = 0; i < 4; i++) expect((await signIn("wrong password here")).status).toBe(401);
    const limited = await signIn("wrong password here");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).not.toBeNull();
    const ready = (await readyDetails(t.app)).body;
    expect(ready.checks.redis).toBe("down");
  });
});
