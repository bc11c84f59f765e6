import { describe, expect, test } from "bun:test";
import { Authenticator } from "../src/modules/identity/authenticate";
import { makeApiKey } from "./factories/api-keys";
import { type Caller, useTestApp } from "./harness";

const t = await useTestApp();

const authenticator = new Authenticator({ ...t.deps, sql: t.deps.database.sql, db: t.deps.database.db });

/** The actor the app itself makes of a caller's Authorization header. */
const resolved = async (caller: Caller) =>
  (await authenticator.authenticate({ bearer: caller.headers.authorization?.replace(/^Bearer /, "") })).actor;

describe("t.as(user)", () => {
  test("calls as that user on both transports, with the actor of their live session in ctx", async () => {
    const staff = await t.user("staff");
    const caller = t.as(staff);
    expect((await caller.trpc.me.get.query()).id).toBe(staff.id);
    expect((await caller.rest.get("/api/v1/me")).body).toMatchObject({ id: staff.id, role: "staff" });
    const sessions = await t.sql`select id from sessions where user_id = ${staff.id}`;
    expect(caller.ctx.actor).toEqual({
      kind: "user",
      userId: staff.id,
      role: "staff",
      sessionId: sessions[0]?.id,
      via: "bearer",
    });
    expect(caller.ctx.actor).toEqual(await resolved(caller));
  });
});

describe("t.asKey(scopes)", () => {
  test("calls as a new key holding just these scopes, with that key's actor in ctx", async () => {
    const key = await t.asKey(["customers:read"]);
    expect((await key.rest.get("/api/v1/admin/customers")).status).toBe(200);
    expect((await key.trpc.admin.customers.list.query({})).items.length).toBeGreaterThan(0);
    expect((await key.rest.post("/api/v1/admin/categories", { name: "Not mine" })).status).toBe(403);
    expect(key.ctx.actor).toMatchObject({ kind: "apiKey", scopes: ["customers:read"] });
    expect(key.ctx.actor).toEqual(await resolved(key));
  });

  test("a key made revoked is refused with 401", async () => {
    const revoked = t.as(await makeApiKey(t, ["customers:read"], { revoked: true }));
    expect((await revoked.rest.get("/api/v1/admin/customers")).status).toBe(401);
  });
});
