import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
let ips = 0;
const fromIp = () => ({ "x-forwarded-for": `198.51.100.${++ips}` });

describe("auth over tRPC", () => {
  test("register, me, sign out: the token is then rejected", async () => {
    const client = t.trpcWith(fromIp());
    const session = await client.auth.register.mutate({
      email: "lin@example.test",
      password: "tea and biscuits",
      name: "Lin",
      session: "bearer",
    });
    const mine = t.trpcWith({ authorization: `Bearer ${session.token}` });
    expect((await mine.me.get.query()).email).toBe("lin@example.test");
    await mine.auth.signOut.mutate();
    const err = await trpcError(mine.me.get.query());
    expect(err.data.code).toBe("UNAUTHENTICATED");
    expect(err.data.httpStatus).toBe(401);
  });

  test("verify email and reset the password with the tokens from the emails", async () => {
    const client = t.trpcWith(fromIp());
    const session = await client.auth.register.mutate({
      email: "kai@example.test",
      password: "a long walk home",
      name: "Kai",
      session: "bearer",
    });
    const mine = t.trpcWith({ authorization: `Bearer ${session.token}` });
    await t.runJobs();
    const tokenIn = (path: string) =>
      t
        .mails()
        .findLast((m) => m.to === "kai@example.test" && m.text.includes(path))
        ?.text.match(/token=([\w-]+)/)?.[1] ?? "";
    await client.auth.verifyEmail.mutate({ token: tokenIn("/verify-email") });
    expect((await mine.me.get.query()).emailVerified).toBe(true);

    await client.auth.requestPasswordReset.mutate({ email: "KAI@example.test" });
    await t.runJobs();
    const token = tokenIn("/reset-password");
    await client.auth.confirmPasswordReset.mutate({ token, password: "a shorter walk home" });
    expect((await trpcError(mine.me.get.query())).data.code).toBe("UNAUTHENTICATED");
    const reused = await trpcError(client.auth.confirmPasswordReset.mutate({ token, password: "another walk home" }));
    expect(reused.data.errors).toEqual([{ path: "token", message: "Invalid, used or expired" }]);
    const again = await client.auth.signIn.mutate({ email: "kai@example.test", password: "a shorter walk home" });
    expect(again.user.email).toBe("kai@example.test");
  });

  test("sign-in sets the session cookie (HttpOnly, SameSite=Lax)", async () => {
    const u = await t.user();
    const res = await t.app.fetch(
      new Request("http://cartwright.test/trpc/auth.signIn", {
        method: "POST",
        headers: { "content-type": "application/json", ...fromIp() },
        body: JSON.stringify({ email: u.email, password: u.password }),
      }),
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^session=[\w-]{40,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
  });

  test("a wrong password and an unknown email fail alike", async () => {
    const u = await t.user();
    const client = t.trpcWith(fromIp());
    const wrong = await trpcError(client.auth.signIn.mutate({ email: u.email, password: "nope nope nope" }));
    const unknown = await trpcError(
      client.auth.signIn.mutate({ email: "nobody@example.test", password: "nope nope nope" }),
    );
    expect([wrong.message, wrong.data.code, wrong.data.httpStatus]).toEqual([
      unknown.message,
      unknown.data.code,
      unknown.data.httpStatus,
    ]);
    expect(wrong.data.code).toBe("UNAUTHENTICATED");
  });

  test("the sixth failed sign-in is TOO_MANY_REQUESTS with Retry-After", async () => {
    const u = await t.user();
    const headers = fromIp();
    const attempt = () =>
      t.app.fetch(
        new Request("http://cartwright.test/trpc/auth.signIn", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ email: u.email, password: "wrong wrong wrong" }),
        }),
      );
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const sixth = await attempt();
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(sixth.headers.get("ratelimit-remaining")).toBe("0");
    const body = await sixth.json();
    expect(body.error.data.code).toBe("RATE_LIMITED");
  });

  test("auth.signIn sets the cookie without a token by default, and answers the token for a bearer session", async () => {
    const u = await t.user();
    const call = (input: object) =>
      t.app.fetch(
        new Request("http://cartwright.test/trpc/auth.signIn", {
          method: "POST",
          headers: { "content-type": "application/json", ...fromIp() },
          body: JSON.stringify({ email: u.email, password: u.password, ...input }),
        }),
      );
    const browser = await call({});
    expect(browser.headers.get("set-cookie")).toMatch(/^session=[^;]{20,};.*HttpOnly/);
    const browserData = (await browser.json()).result.data;
    expect(browserData).not.toHaveProperty("token");
    expect(browserData.user.email).toBe(u.email);

    const mobile = await call({ session: "bearer" });
    expect(mobile.headers.get("set-cookie")).toBeNull();
    const { token } = (await mobile.json()).result.data;
    expect((await t.trpcWith({ authorization: `Bearer ${token}` }).me.get.query()).email).toBe(u.email);
  });

  test("me.update rejects role, naming it", async () => {
    const u = await t.user();
    const input = { name: "x", role: "admin" } as never;
    const err = await trpcError(t.trpcWith(u.headers).me.update.mutate(input));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors).toEqual([{ path: "role", message: "Unknown field: role" }]);
  });

  test("a cookie-authenticated mutation from a foreign Origin is FORBIDDEN", async () => {
    const u = await t.user();
    const client = t.trpcWith({ cookie: `session=${u.token}`, origin: "https://evil.example" });
    const err = await trpcError(client.me.update.mutate({ name: "Hijacked" }));
    expect(err.data.code).toBe("FORBIDDEN");
    expect(err.data.httpStatus).toBe(403);
    const sameSite = t.trpcWith({ cookie: `session=${u.token}`, origin: "http://cartwright.test" });
    expect((await sameSite.me.update.mutate({ name: "Fine" })).name).toBe("Fine");
  });

  test("a customer calling a staff operation is FORBIDDEN, a guest UNAUTHENTICATED", async () => {
    const u = await t.user();
    const asCustomer = await trpcError(t.trpcWith(u.headers).admin.categories.create.mutate({ name: "x" }));
    expect(asCustomer.data.code).toBe("FORBIDDEN");
    const asGuest = await trpcError(t.trpc.me.get.query());
    expect(asGuest.data.code).toBe("UNAUTHENTICATED");
  });
});
