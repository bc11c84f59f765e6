import { afterAll, describe, expect, test } from "bun:test";
import { createTestApp, hasRedis, type TestApp, type TestUser, useTestApp } from "../../../../tests/harness";
import { TcpProxy } from "../../../../tests/tcp-proxy";

// Signed-in callers are remembered per process (authenticate.ts); every change
// below must still be seen on the very next request, by every process. `a`
// makes the change, `b` has just served the caller from memory.

let ips = 0;
/** A fresh client address per call, so per-address limits of one test don't reach another. */
const fromIp = (extra: Record<string, string> = {}) => ({ "x-forwarded-for": `198.51.100.${++ips}`, ...extra });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A second app on `first`'s database and Redis keys: another API process of the same deployment. */
async function secondProcess(first: TestApp, env: Record<string, string> = {}): Promise<TestApp> {
  const prefix = `${new URL(first.databaseUrl).pathname.slice(1)}:`;
  return createTestApp({ redis: true, databaseUrl: first.databaseUrl, env: { REDIS_KEY_PREFIX: prefix, ...env } });
}

/** The SQL statements an app sends while `fn` runs, through its own connection pool. */
async function statementsDuring(t: TestApp, fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const options = t.sql.options as { debug: unknown };
  options.debug = (_connection: number, query: string) => seen.push(query);
  try {
    await fn();
  } finally {
    options.debug = false;
  }
  return seen;
}

/** Serves this session until `b` answers from memory (its first reads go to the database), and checks it does. */
async function warm(b: TestApp, headers: Record<string, string>) {
  for (let i = 0; i < 2; i++) expect((await b.rest.get("/api/v1/me", { headers })).status).toBe(200);
  expect(await statementsDuring(b, () => b.rest.get("/api/v1/me", { headers }))).toEqual([]);
}

async function secondSession(t: TestApp, u: TestUser): Promise<Record<string, string>> {
  const res = await t.rest.post(
    "/api/v1/auth/sessions",
    { email: u.email, password: u.password, session: "bearer" },
    { headers: fromIp() },
  );
  expect(res.status).toBe(201);
  return bearer(res.body.token);
}

function revocationCases(name: string, apps: () => { a: TestApp; b: TestApp }) {
  describe(name, () => {
    const me = (t: TestApp, headers: Record<string, string>) => t.rest.get("/api/v1/me", { headers });
    let admin: TestUser;
    const asAdmin = async () => {
      admin ??= await apps().a.user("admin");
      return admin.headers;
    };

    test("a warm bearer request issues no SQL statement", async () => {
      const { a, b } = apps();
      const u = await a.user();
      for (let i = 0; i < 3; i++) await me(b, u.headers);
      let res: Awaited<ReturnType<typeof me>> | undefined;
      expect(await statementsDuring(b, async () => (res = await me(b, u.headers)))).toEqual([]);
      expect(res?.status).toBe(200);
      expect(res?.body).toMatchObject({ id: u.id, email: u.email });
    });

    test("sign out: the session is refused on the next request", async () => {
      const { a, b } = apps();
      const u = await a.user();
      await warm(b, u.headers);
      expect((await a.rest.delete("/api/v1/auth/sessions/current", { headers: u.headers })).status).toBe(204);
      expect((await me(b, u.headers)).status).toBe(401);
    });

    test("sign out everywhere: another session is refused on its next request", async () => {
      const { a, b } = apps();
      const u = await a.user();
      const other = await secondSession(a, u);
      await warm(b, other);
      expect((await a.rest.delete("/api/v1/auth/sessions", { headers: u.headers })).status).toBe(204);
      expect((await me(b, other)).status).toBe(401);
    });

    test("password change: the other sessions are refused, the changing one goes on", async () => {
      const { a, b } = apps();
      const u = await a.user();
      const other = await secondSession(a, u);
      await warm(b, other);
      await warm(b, u.headers);
      const changed = await a.rest.post(
        "/api/v1/me/password",
        { currentPassword: u.password, newPassword: "an entirely new passphrase" },
        { headers: u.headers },
      );
      expect(changed.status).toBe(204);
      expect((await me(b, other)).status).toBe(401);
      expect((await me(b, u.headers)).status).toBe(200);
    });

    test("password reset: every session is refused", async () => {
      const { a, b } = apps();
      const u = await a.user();
      await warm(b, u.headers);
      await a.rest.post("/api/v1/auth/password-reset", { email: u.email }, { headers: fromIp() });
      await a.runJobs();
      const mail = a.mails().findLast((m) => m.to === u.email && m.text.includes("/reset-password?token="));
      const token = mail?.text.match(/token=([\w-]+)/)?.[1] ?? "";
      const confirmed = await a.rest.post("/api/v1/auth/password-reset/confirm", {
        token,
        password: "a reset passphrase here",
      });
      expect(confirmed.status).toBe(204);
      expect((await me(b, u.headers)).status).toBe(401);
    });

    test("an admin disables the user: the session is refused", async () => {
      const { a, b } = apps();
      const u = await a.user();
      await warm(b, u.headers);
      const res = await a.rest.patch(
        `/api/v1/admin/customers/${u.id}`,
        { disabled: true },
        { headers: await asAdmin() },
      );
      expect(res.status).toBe(200);
      expect((await me(b, u.headers)).status).toBe(401);
    });

    test("an admin changes the role: the session is refused (a new role signs in again)", async () => {
      const { a, b } = apps();
      const u = await a.user();
      await warm(b, u.headers);
      const res = await a.rest.patch(
        `/api/v1/admin/customers/${u.id}`,
        { role: "staff" },
        { headers: await asAdmin() },
      );
      expect(res.status).toBe(200);
      expect((await me(b, u.headers)).status).toBe(401);
    });

    test("an admin revokes an API key: the key is refused", async () => {
      const { a, b } = apps();
      const headers = await asAdmin();
      const created = await a.rest.post(
        "/api/v1/admin/api-keys",
        { name: "warm key", scopes: ["customers:read"] },
        { headers },
      );
      expect(created.status).toBe(201);
      const key = bearer(created.body.secret);
      for (let i = 0; i < 3; i++) {
        expect((await b.rest.get("/api/v1/admin/customers?limit=1", { headers: key })).status).toBe(200);
      }
      expect((await a.rest.delete(`/api/v1/admin/api-keys/${created.body.key.id}`, { headers })).status).toBe(204);
      expect((await b.rest.get("/api/v1/admin/customers?limit=1", { headers: key })).status).toBe(401);
    });

    test("the user edits their name: /me shows the new name", async () => {
      const { a, b } = apps();
      const u = await a.user();
      await warm(b, u.headers);
      expect((await a.rest.patch("/api/v1/me", { name: "Renamed Person" }, { headers: u.headers })).status).toBe(200);
      const res = await me(b, u.headers);
      expect(res.status).toBe(200);
      expect(res.body.name).toBe("Renamed Person");
    });
  });
}

const alone = await useTestApp();
revocationCases("one process on the in-process store", () => ({ a: alone, b: alone }));

const onRedis = hasRedis ? await useTestApp({ redis: true }) : null;
const other = onRedis ? await secondProcess(onRedis) : null;
afterAll(() => other?.close());
describe.skipIf(!hasRedis)("two processes sharing Postgres and Redis", () => {
  revocationCases("the other process", () => ({ a: onRedis as TestApp, b: other as TestApp }));
});

describe.skipIf(!hasRedis)("while Redis is away from a process", () => {
  test("it checks the database on every request: a revoked session is refused", async () => {
    const first = onRedis as TestApp;
    const redis = new URL(process.env.CW_TEST_REDIS_URL as string);
    const proxy = await TcpProxy.start({ host: redis.hostname, port: Number(redis.port) });
    const b = await secondProcess(first, { REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    try {
      const u = await first.user();
      const kept = await first.user();
      await warm(b, u.headers);
      await warm(b, kept.headers);
      await proxy.cut();
      expect((await first.rest.delete("/api/v1/auth/sessions/current", { headers: u.headers })).status).toBe(204);
      let res: Awaited<ReturnType<TestApp["rest"]["get"]>> | undefined;
      const statements = await statementsDuring(
        b,
        async () => (res = await b.rest.get("/api/v1/me", { headers: u.headers })),
      );
      expect(res?.status).toBe(401);
      expect(statements.length).toBeGreaterThan(0);
      expect((await b.rest.get("/api/v1/me", { headers: kept.headers })).status).toBe(200);
    } finally {
      await b.close();
      await proxy.close();
    }
  });
});
