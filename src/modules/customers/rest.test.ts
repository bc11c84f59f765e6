import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const admin = await t.user("admin");
const staff = await t.user("staff");
const asAdmin = admin.headers;
const asStaff = staff.headers;

const list = (query: string, headers = asStaff) => t.rest.get(`/api/v1/admin/customers${query}`, { headers });
const patch = (id: string, body: unknown, headers = asStaff) =>
  t.rest.patch(`/api/v1/admin/customers/${id}`, body, { headers });
const me = (headers: Record<string, string>) => t.rest.get("/api/v1/me", { headers });
const signIn = (email: string, password: string) => t.rest.post("/api/v1/auth/sessions", { email, password });

describe("GET /api/v1/admin/customers", () => {
  test("pages through every account with cursors, newest first, without duplicates", async () => {
    const made: string[] = [];
    for (let i = 0; i < 25; i++) made.push((await t.user()).id);

    const seen: string[] = [];
    const createdAt: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(10);
      seen.push(...res.body.items.map((c: { id: string }) => c.id));
      createdAt.push(...res.body.items.map((c: { createdAt: string }) => c.createdAt));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([...made, admin.id, staff.id]));
    expect(seen.length).toBe(27);
    expect(pages).toBe(3);
    expect(seen.slice(0, 25)).toEqual([...made].reverse());
    expect([...createdAt].sort().reverse()).toEqual(createdAt);
  });

  test("q finds an account by a fragment of its email in another case", async () => {
    const c = await t.user();
    const fragment = c.email.split("@")[0]?.toUpperCase() ?? "";
    const res = await list(`?q=${encodeURIComponent(fragment)}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(res.body.items[0]).toMatchObject({ email: c.email, role: "customer", disabled: false });
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
  });

  test("role filters the list", async () => {
    const res = await list("?role=staff&limit=100");
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([staff.id]);
  });

  test("a garbage cursor is a 400 naming cursor, not a 500", async () => {
    for (const cursor of ["garbage", "e30", "!!!", encodeURIComponent(btoa('{"createdAt":"x","id":"y"}'))]) {
      const res = await list(`?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "cursor" }] });
    }
  });

  test("a limit outside 1-100 is a 400 naming limit", async () => {
    for (const limit of ["0", "101", "ten"]) {
      const res = await list(`?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["limit"]);
    }
  });

  test("a customer gets 403, a guest 401", async () => {
    const customer = await t.user();
    expect((await list("", customer.headers)).status).toBe(403);
    const guest = await list("", {});
    expect(guest.status).toBe(401);
    expect(guest.body.code).toBe("UNAUTHENTICATED");
  });
});

describe("GET /api/v1/admin/customers/{id}", () => {
  test("returns the account; an unknown id is 404, a malformed one 400", async () => {
    const c = await t.user();
    const res = await t.rest.get(`/api/v1/admin/customers/${c.id}`, { headers: asStaff });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: c.id, email: c.email, disabled: false });
    const missing = await t.rest.get("/api/v1/admin/customers/01a20160-0000-7000-8000-000000000000", {
      headers: asStaff,
    });
    expect(missing.status).toBe(404);
    const malformed = await t.rest.get("/api/v1/admin/customers/not-an-id", { headers: asStaff });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe("id");
  });
});

describe("PATCH /api/v1/admin/customers/{id}", () => {
  test("an admin changes a role; the account's existing session is then refused with 401", async () => {
    const c = await t.user();
    expect((await me(c.headers)).status).toBe(200);
    const res = await patch(c.id, { role: "staff" }, asAdmin);
    expect(res.status).toBe(200);
    expect(res.body.role).toBe("staff");
    expect((await me(c.headers)).status).toBe(401);
    const again = await signIn(c.email, c.password);
    expect(again.status).toBe(201);
    expect(again.body.user.role).toBe("staff");
  });

  test("staff changing a role get 403", async () => {
    const c = await t.user();
    const res = await patch(c.id, { role: "admin" });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("FORBIDDEN");
    expect((await me(c.headers)).status).toBe(200);
  });

  test("staff disable a customer: the live session is refused, sign-in is 401; enabling lets them back in", async () => {
    const c = await t.user();
    const disabled = await patch(c.id, { disabled: true });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await me(c.headers)).status).toBe(401);
    const refused = await signIn(c.email, c.password);
    expect(refused.status).toBe(401);

    const enabled = await patch(c.id, { disabled: false });
    expect(enabled.body.disabled).toBe(false);
    expect((await signIn(c.email, c.password)).status).toBe(201);
  });

  test("staff disabling another staff member or an admin get 403", async () => {
    const otherStaff = await t.user("staff");
    expect((await patch(otherStaff.id, { disabled: true })).status).toBe(403);
    expect((await patch(admin.id, { disabled: true })).status).toBe(403);
    expect((await me(otherStaff.headers)).status).toBe(200);
  });

  test("changing one's own account is 403", async () => {
    expect((await patch(admin.id, { role: "customer" }, asAdmin)).status).toBe(403);
    expect((await patch(staff.id, { disabled: true })).status).toBe(403);
  });

  test("unknown fields are 400s naming them; an empty body is a 400", async () => {
    const c = await t.user();
    const res = await patch(c.id, { disabled: false, email: "new@example.test", passwordHash: "x" }, asAdmin);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "passwordHash"]);
    const empty = await patch(c.id, {}, asAdmin);
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe("VALIDATION_FAILED");
  });

  test("an unknown id is 404", async () => {
    const res = await patch("01a20160-0000-7000-8000-000000000000", { disabled: true });
    expect(res.status).toBe(404);
  });

  test("an API key cannot update accounts, even with customers:read: 403", async () => {
    const reader = await t.asKey(["customers:read"]);
    const c = await t.user();
    const res = await patch(c.id, { disabled: true }, reader.headers);
    expect(res.status).toBe(403);
    expect((await me(c.headers)).status).toBe(200);
  });
});
