import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { hashToken } from "../../../lib/tokens";

const t = await useTestApp();
let ips = 0;
/** A fresh client address per call site, so rate limits of one test don't leak into another. */
const fromIp = (extra: Record<string, string> = {}) => ({ "x-forwarded-for": `203.0.113.${++ips}`, ...extra });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const register = (email: string, password = "a perfectly fine passphrase", name = "Ada") =>
  t.rest.post("/api/v1/auth/register", { email, password, name }, { headers: fromIp() });
/** A bearer session, as a mobile app or server asks for one. */
const signIn = (email: string, password: string, headers = fromIp()) =>
  t.rest.post("/api/v1/auth/sessions", { email, password, session: "bearer" }, { headers });
const tokenFromMail = (to: string, purpose: "verify-email" | "reset-password") => {
  const mail = t.mails().findLast((m) => m.to === to && m.text.includes(`/${purpose}?token=`));
  return mail?.text.match(/token=([\w-]+)/)?.[1] ?? "";
};

describe("register, verify email, sign in, me, sign out", () => {
  test("the whole journey works, and the old session token is rejected afterwards", async () => {
    const reg = await register("Ada@Example.test");
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email: "ada@example.test", role: "customer", emailVerified: false });
    const cookie = reg.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^session=[^;]{20,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");

    await t.runJobs();
    const token = tokenFromMail("ada@example.test", "verify-email");
    expect(token.length).toBeGreaterThan(20);
    expect((await t.rest.post("/api/v1/auth/verify-email", { token })).status).toBe(204);
    expect((await t.rest.post("/api/v1/auth/verify-email", { token })).status).toBe(400);

    const session = await signIn("ada@example.test", "a perfectly fine passphrase");
    expect(session.status).toBe(201);
    const me = await t.rest.get("/api/v1/me", { headers: bearer(session.body.token) });
    expect(me.body).toMatchObject({ email: "ada@example.test", emailVerified: true });

    expect((await t.rest.delete("/api/v1/auth/sessions/current", { headers: bearer(session.body.token) })).status).toBe(
      204,
    );
    const after = await t.rest.get("/api/v1/me", { headers: bearer(session.body.token) });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe("UNAUTHENTICATED");
  });

  test("an email is unique whatever its case: 409 naming email", async () => {
    await register("grace@example.test");
    const again = await register("GRACE@example.test");
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: "email", message: "Already taken" }]);
  });

  test("a common or short password is refused naming password", async () => {
    const common = await register("weak@example.test", "qwertyuiop");
    expect(common.status).toBe(400);
    expect(common.body.errors).toEqual([{ path: "password", message: "Too common: choose another" }]);
    const short = await register("short@example.test", "abc12");
    expect(short.body.errors[0].path).toBe("password");
  });
});

describe("sign-in", () => {
  test("a wrong password and an unknown email get the same status and body", async () => {
    const u = await t.user();
    const wrong = await signIn(u.email, "not the password at all");
    const unknown = await signIn("nobody@example.test", "not the password at all");
    expect(wrong.status).toBe(401);
    const { requestId: _a, ...wrongBody } = wrong.body;
    const { requestId: _b, ...unknownBody } = unknown.body;
    expect(unknownBody).toEqual(wrongBody);
  });

  test("the sixth failed attempt in the window is 429 with Retry-After and RateLimit headers", async () => {
    const u = await t.user();
    const headers = fromIp();
    for (let i = 0; i < 5; i++) expect((await signIn(u.email, "wrong password!!", headers)).status).toBe(401);
    const sixth = await signIn(u.email, "wrong password!!", headers);
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe("RATE_LIMITED");
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sixth.headers.get("ratelimit-limit")).toBe("5");
    expect(sixth.headers.get("ratelimit-remaining")).toBe("0");
    // Even the right password waits out the window from that address.
    expect((await signIn(u.email, u.password, headers)).status).toBe(429);
    // Another address is not blocked by it.
    expect((await signIn(u.email, u.password)).status).toBe(201);
  });

  test("a disabled account's live session dies on the next request", async () => {
    const u = await t.user();
    expect((await t.rest.get("/api/v1/me", { headers: u.headers })).status).toBe(200);
    await t.sql`update users set disabled_at = now() where id = ${u.id}`;
    expect((await t.rest.get("/api/v1/me", { headers: u.headers })).status).toBe(401);
    expect((await signIn(u.email, u.password)).status).toBe(401);
  });

  test("the sessions table holds only hashes of the tokens clients hold", async () => {
    const u = await t.user();
    const rows = await t.sql`select id from sessions where user_id = ${u.id}`;
    expect(rows.map((r) => r.id)).toEqual([hashToken(u.token)]);
    expect(rows.some((r) => r.id === u.token)).toBe(false);
  });
});

describe("how a client holds its session", () => {
  const sessionOf = (res: { headers: Headers }) => res.headers.get("set-cookie")?.match(/^session=([^;]+);/)?.[1];

  test("by default (a browser) sign-in and registration set the cookie and answer no token", async () => {
    const u = await t.user();
    const signedIn = await t.rest.post("/api/v1/auth/sessions", { email: u.email, password: u.password });
    expect(signedIn.status).toBe(201);
    expect(signedIn.body).not.toHaveProperty("token");
    expect(signedIn.body.user.email).toBe(u.email);
    const cookie = sessionOf(signedIn) ?? "";
    expect((await t.rest.get("/api/v1/me", { headers: { cookie: `session=${cookie}` } })).body.email).toBe(u.email);

    const registered = await t.rest.post(
      "/api/v1/auth/register",
      { email: "browser@example.test", password: "a perfectly fine passphrase", name: "Bea", session: "cookie" },
      { headers: fromIp() },
    );
    expect(registered.status).toBe(201);
    expect(registered.body).not.toHaveProperty("token");
    expect(sessionOf(registered)).toBeDefined();
  });

  test('"session": "bearer" (mobile, servers) answers the token and sets no cookie', async () => {
    const u = await t.user();
    const signedIn = await signIn(u.email, u.password);
    expect(signedIn.status).toBe(201);
    expect(signedIn.headers.get("set-cookie")).toBeNull();
    expect((await t.rest.get("/api/v1/me", { headers: bearer(signedIn.body.token) })).body.email).toBe(u.email);
    const registered = await t.rest.post(
      "/api/v1/auth/register",
      { email: "app@example.test", password: "a perfectly fine passphrase", name: "App", session: "bearer" },
      { headers: fromIp() },
    );
    expect(registered.body.token).toEqual(expect.any(String));
    expect(registered.headers.get("set-cookie")).toBeNull();
  });

  test("another transport is a 400 naming session", async () => {
    const u = await t.user();
    const res = await t.rest.post("/api/v1/auth/sessions", { email: u.email, password: u.password, session: "jwt" });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["session"]);
  });
});

describe("password reset", () => {
  test("answers the same for unknown and known emails", async () => {
    const u = await t.user();
    const known = await t.rest.post("/api/v1/auth/password-reset", { email: u.email }, { headers: fromIp() });
    const unknown = await t.rest.post(
      "/api/v1/auth/password-reset",
      { email: "ghost@example.test" },
      { headers: fromIp() },
    );
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
  });

  test("a reset token works once and signs out every session", async () => {
    const u = await t.user();
    await t.rest.post("/api/v1/auth/password-reset", { email: u.email }, { headers: fromIp() });
    await t.runJobs();
    const token = tokenFromMail(u.email, "reset-password");
    const confirm = { token, password: "a brand new passphrase" };
    expect((await t.rest.post("/api/v1/auth/password-reset/confirm", confirm)).status).toBe(204);
    expect((await t.rest.get("/api/v1/me", { headers: u.headers })).status).toBe(401);
    expect((await signIn(u.email, "a brand new passphrase")).status).toBe(201);
    const reused = await t.rest.post("/api/v1/auth/password-reset/confirm", {
      ...confirm,
      password: "yet another phrase",
    });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].path).toBe("token");
  });

  test("an expired reset token is refused", async () => {
    const u = await t.user();
    await t.rest.post("/api/v1/auth/password-reset", { email: u.email }, { headers: fromIp() });
    await t.runJobs();
    const token = tokenFromMail(u.email, "reset-password");
    await t.sql`update email_tokens set expires_at = now() - interval '1 minute' where token_hash = ${hashToken(token)}`;
    const res = await t.rest.post("/api/v1/auth/password-reset/confirm", { token, password: "a brand new passphrase" });
    expect(res.status).toBe(400);
    expect((await t.rest.get("/api/v1/me", { headers: u.headers })).status).toBe(200);
  });
});

describe("me", () => {
  test("a customer cannot set their own role: the field is rejected", async () => {
    const u = await t.user();
    const [before] = await t.sql`select role, name from users where id = ${u.id}`;
    const res = await t.rest.patch("/api/v1/me", { name: "Sneaky", role: "admin" }, { headers: u.headers });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "role", message: "Unknown field: role" }]);
    const [after] = await t.sql`select role, name from users where id = ${u.id}`;
    expect(after).toEqual(before);
    expect(after?.role).toBe("customer");
  });

  test("changing the password keeps this session and ends the others", async () => {
    const u = await t.user();
    const other = await signIn(u.email, u.password);
    const res = await t.rest.post(
      "/api/v1/me/password",
      { currentPassword: u.password, newPassword: "another good passphrase" },
      { headers: u.headers },
    );
    expect(res.status).toBe(204);
    expect((await t.rest.get("/api/v1/me", { headers: u.headers })).status).toBe(200);
    expect((await t.rest.get("/api/v1/me", { headers: bearer(other.body.token) })).status).toBe(401);
  });

  test("deleting the account needs the password, then the account is gone", async () => {
    const u = await t.user();
    expect(
      (await t.rest.request("DELETE", "/api/v1/me", { body: { password: "wrong one" }, headers: u.headers })).status,
    ).toBe(400);
    expect(
      (await t.rest.request("DELETE", "/api/v1/me", { body: { password: u.password }, headers: u.headers })).status,
    ).toBe(204);
    expect(await t.sql`select 1 from users where id = ${u.id}`).toHaveLength(0);
    expect((await signIn(u.email, u.password)).status).toBe(401);
  });
});

describe("access", () => {
  test("anonymous callers get 401 and customers get 403 on staff operations", async () => {
    const u = await t.user();
    expect((await t.rest.get("/api/v1/me")).status).toBe(401);
    const res = await t.rest.post("/api/v1/admin/categories", { name: "Nope" }, { headers: u.headers });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("FORBIDDEN");
  });
});

describe("cookie sessions and CSRF", () => {
  const cookieOf = (token: string) => ({ cookie: `session=${token}` });

  test("a cookie-authenticated mutation from a foreign Origin is 403", async () => {
    const u = await t.user();
    const foreign = await t.rest.patch(
      "/api/v1/me",
      { name: "Hijacked" },
      { headers: { ...cookieOf(u.token), origin: "https://evil.example" } },
    );
    expect(foreign.status).toBe(403);
    const noOrigin = await t.rest.patch("/api/v1/me", { name: "Hijacked" }, { headers: cookieOf(u.token) });
    expect(noOrigin.status).toBe(403);
    const [row] = await t.sql`select name from users where id = ${u.id}`;
    expect(row?.name).not.toBe("Hijacked");
  });

  test("the same mutation from the site itself, or with a bearer token, is allowed", async () => {
    const u = await t.user();
    const sameOrigin = await t.rest.patch(
      "/api/v1/me",
      { name: "Ada L." },
      { headers: { ...cookieOf(u.token), origin: "http://cartwright.test" } },
    );
    expect(sameOrigin.status).toBe(200);
    const viaBearer = await t.rest.patch(
      "/api/v1/me",
      { name: "Ada B." },
      { headers: { ...u.headers, origin: "https://evil.example" } },
    );
    expect(viaBearer.status).toBe(200);
  });

  test("a session used in its second half slides forward 30 days and the cookie is sent again", async () => {
    const u = await t.user();
    await t.sql`update sessions set expires_at = now() + interval '10 days' where id = ${hashToken(u.token)}`;
    const res = await t.rest.get("/api/v1/me", { headers: cookieOf(u.token) });
    expect(res.status).toBe(200);
    const maxAge = Number(res.headers.get("set-cookie")?.match(/Max-Age=(\d+)/)?.[1]);
    expect(maxAge).toBeGreaterThan(29 * 86_400);
    const [row] =
      await t.sql`select expires_at > now() + interval '29 days' as extended from sessions where id = ${hashToken(u.token)}`;
    expect(row?.extended).toBe(true);
  });

  test("a dead session cookie is cleared", async () => {
    const res = await t.rest.get("/api/v1/categories", { headers: cookieOf("not-a-live-session-token") });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toContain("session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
  });

  test("reads with the cookie need no Origin", async () => {
    const u = await t.user();
    expect((await t.rest.get("/api/v1/me", { headers: cookieOf(u.token) })).status).toBe(200);
  });
});
