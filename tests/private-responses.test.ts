import { describe, expect, test } from "bun:test";
import { useTestApp } from "./harness";
import { READY_ENV, readyHeaders } from "./ready";

const t = await useTestApp({ env: READY_ENV });
const [customer, staff, admin] = [await t.user(), await t.user("staff"), await t.user("admin")];
const key = await t.asKey(["customers:read"]);
const get = (path: string, headers: Record<string, string> = {}) =>
  t.app.fetch(new Request(`http://cartwright.test${path}`, { headers }));

describe("Cache-Control: no-store on what depends on who asks", () => {
  test("/me, admin lists, API key reads, tRPC, errors and /ready are never stored", async () => {
    const cases: [string, Record<string, string>?][] = [
      ["/api/v1/me", customer.headers],
      ["/api/v1/me"],
      ["/api/v1/admin/customers", admin.headers],
      ["/api/v1/admin/customers", key.headers],
      ["/trpc/me.get", customer.headers],
      ["/api/v1/categories", customer.headers],
      ["/api/v1/nowhere"],
      ["/ready"],
      ["/ready", readyHeaders],
    ];
    for (const [path, headers] of cases) {
      const cacheControl = (await get(path, headers)).headers.get("cache-control");
      expect({ path, cacheControl }).toEqual({ path, cacheControl: "no-store" });
    }
  });

  test("sign-in, over REST and tRPC, is never stored", async () => {
    const body = JSON.stringify({ email: customer.email, password: customer.password });
    for (const path of ["/api/v1/auth/sessions", "/trpc/auth.signIn"]) {
      const res = await t.app.fetch(
        new Request(`http://cartwright.test${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.50" },
          body,
        }),
      );
      expect(res.headers.get("set-cookie")).toStartWith("session=");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });

  test("a public asset keeps its own policy", async () => {
    expect((await get("/docs/scalar.js")).headers.get("cache-control")).toBe("public, max-age=86400");
  });
});

describe("/ready", () => {
  const detailed = { status: "ok", checks: { postgres: "ok", redis: "disabled", search: "ok", worker: "disabled" } };

  test("anonymous callers, customers and API keys get only the status", async () => {
    for (const headers of [{}, customer.headers, key.headers, { [Object.keys(readyHeaders)[0] as string]: "wrong" }]) {
      const res = await get("/ready", headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
  });

  test("the READY_TOKEN header and staff sessions get the checks and modes", async () => {
    for (const headers of [readyHeaders, staff.headers, admin.headers]) {
      const res = await get("/ready", headers);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject(detailed);
      expect(body.modes.database).toContain("postgres at");
    }
  });

  test("a staff browser session (the cookie) gets them too", async () => {
    const res = await get("/ready", { cookie: `session=${staff.token}` });
    expect((await res.json()).checks).toEqual(detailed.checks);
  });

  test("/health stays trivial", async () => {
    expect(await (await get("/health", admin.headers)).json()).toEqual({ status: "ok" });
  });
});
