import { describe, expect, test } from "bun:test";
import { serviceError } from "../../../tests/errors";
import { makeUser } from "../../../tests/factories/users";
import { useTestApp } from "../../../tests/harness";
import { toAppError } from "../../lib/errors";
import * as customers from "./service";

const t = await useTestApp();
const people = {
  admin: await t.user("admin"),
  staff: await t.user("staff"),
};
const admin = t.as(people.admin).ctx;
const staff = t.as(people.staff).ctx;

const sessionsOf = async (userId: string) =>
  (await t.sql`select count(*)::int as n from sessions where user_id = ${userId}`)[0]?.n;

describe("listCustomers", () => {
  test("finds by part of the email or name, any case, newest first", async () => {
    const a = await t.user();
    const b = await makeUser(t, "customer", { name: "Grace HOPPER" });
    const byEmail = await customers.listCustomers(staff, { q: a.email.slice(0, 12).toUpperCase() });
    expect(byEmail.items.map((c) => c.id)).toContain(a.id);
    const byName = await customers.listCustomers(staff, { q: "grace hop" });
    expect(byName.items.map((c) => c.id)).toEqual([b.id]);
  });

  test("treats % and _ in q as themselves, not as wildcards", async () => {
    const c = await makeUser(t, "customer", { name: "100% cotton_fan" });
    expect((await customers.listCustomers(staff, { q: "%" })).items.map((x) => x.id)).toEqual([c.id]);
    expect((await customers.listCustomers(staff, { q: "n_f" })).items.map((x) => x.id)).toEqual([c.id]);
    expect((await customers.listCustomers(staff, { q: "co_ton" })).items).toEqual([]);
  });

  test("filters by role", async () => {
    const page = await customers.listCustomers(staff, { role: "admin", limit: 100 });
    expect(page.items.map((c) => c.id)).toEqual([people.admin.id]);
    expect(page.nextCursor).toBeNull();
  });

  test("shows no password hash", async () => {
    const page = await customers.listCustomers(admin, { limit: 100 });
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(
      ["createdAt", "disabled", "email", "emailVerified", "id", "name", "role"].sort(),
    );
    expect(JSON.stringify(page)).not.toContain("argon2");
  });

  test("an API key needs customers:read: without it FORBIDDEN naming the scope", async () => {
    const without = (await t.asKey(["catalog:read"])).ctx;
    const err = await serviceError(customers.listCustomers(without, {}));
    expect(err.code).toBe("FORBIDDEN");
    expect(err.details?.missingScope).toBe("customers:read");
    const withScope = (await t.asKey(["customers:read"])).ctx;
    expect((await customers.listCustomers(withScope, { limit: 1 })).items).toHaveLength(1);
  });

  test("a customer is FORBIDDEN, a guest UNAUTHENTICATED", async () => {
    const customer = await t.user();
    expect((await serviceError(customers.listCustomers(t.as(customer).ctx, {}))).code).toBe("FORBIDDEN");
    expect((await serviceError(customers.listCustomers(t.ctx(), {}))).code).toBe("UNAUTHENTICATED");
  });
});

describe("getCustomer", () => {
  test("returns one account; an unknown id is NOT_FOUND", async () => {
    const c = await t.user();
    expect(await customers.getCustomer(staff, { id: c.id })).toMatchObject({
      id: c.id,
      email: c.email,
      role: "customer",
      disabled: false,
      emailVerified: true,
    });
    const err = await serviceError(customers.getCustomer(staff, { id: "01a20160-0000-7000-8000-000000000000" }));
    expect(err.code).toBe("NOT_FOUND");
  });
});

describe("updateCustomer", () => {
  test("staff disable a customer: disabledAt set and every session gone; enabling clears it", async () => {
    const c = await t.user();
    expect(await sessionsOf(c.id)).toBe(1);
    const disabled = await customers.updateCustomer(staff, { id: c.id, disabled: true });
    expect(disabled.disabled).toBe(true);
    expect(await sessionsOf(c.id)).toBe(0);
    const enabled = await customers.updateCustomer(staff, { id: c.id, disabled: false });
    expect(enabled.disabled).toBe(false);
    const [row] = await t.sql`select disabled_at from users where id = ${c.id}`;
    expect(row?.disabled_at).toBeNull();
  });

  test("disabling twice keeps the first disabledAt", async () => {
    const c = await t.user();
    await customers.updateCustomer(admin, { id: c.id, disabled: true });
    const [first] = await t.sql`select disabled_at from users where id = ${c.id}`;
    await customers.updateCustomer(admin, { id: c.id, disabled: true });
    const [again] = await t.sql`select disabled_at from users where id = ${c.id}`;
    expect(again?.disabled_at).toEqual(first?.disabled_at);
  });

  test("an admin changes a role and the account's sessions end", async () => {
    const c = await t.user();
    const updated = await customers.updateCustomer(admin, { id: c.id, role: "staff" });
    expect(updated.role).toBe("staff");
    expect(await sessionsOf(c.id)).toBe(0);
  });

  test("setting the role an account already has keeps its sessions", async () => {
    const c = await t.user();
    await customers.updateCustomer(admin, { id: c.id, role: "customer" });
    expect(await sessionsOf(c.id)).toBe(1);
  });

  test("staff changing a role is FORBIDDEN and changes nothing", async () => {
    const c = await t.user();
    const err = await serviceError(customers.updateCustomer(staff, { id: c.id, role: "admin" }));
    expect(err.code).toBe("FORBIDDEN");
    expect((await customers.getCustomer(staff, { id: c.id })).role).toBe("customer");
  });

  test("staff disabling another staff member or an admin is FORBIDDEN; an admin may", async () => {
    const otherStaff = await t.user("staff");
    const otherAdmin = await t.user("admin");
    for (const target of [otherStaff, otherAdmin]) {
      const err = await serviceError(customers.updateCustomer(staff, { id: target.id, disabled: true }));
      expect(err.code).toBe("FORBIDDEN");
      expect(await sessionsOf(target.id)).toBe(1);
    }
    expect((await customers.updateCustomer(admin, { id: otherStaff.id, disabled: true })).disabled).toBe(true);
  });

  test("nobody changes their own role or disables themselves: FORBIDDEN", async () => {
    const role = await serviceError(customers.updateCustomer(admin, { id: people.admin.id, role: "customer" }));
    expect(role.code).toBe("FORBIDDEN");
    const disable = await serviceError(customers.updateCustomer(staff, { id: people.staff.id, disabled: true }));
    expect(disable.code).toBe("FORBIDDEN");
  });

  test("two admins demoting each other at once: one wins, one admin remains", async () => {
    const a = await t.user("admin");
    const b = await t.user("admin");
    const results = await Promise.allSettled([
      customers.updateCustomer(t.as(a).ctx, { id: b.id, role: "customer" }),
      customers.updateCustomer(t.as(b).ctx, { id: a.id, role: "customer" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(toAppError(lost.reason).error.code).toBe("FORBIDDEN");
    const [row] = await t.sql`select count(*)::int as n from users where id in (${a.id}, ${b.id}) and role = 'admin'`;
    expect(row?.n).toBe(1);
  });

  test("an API key is FORBIDDEN even with customers:read", async () => {
    const c = await t.user();
    const key = (await t.asKey(["customers:read"])).ctx;
    expect((await serviceError(customers.updateCustomer(key, { id: c.id, disabled: true }))).code).toBe("FORBIDDEN");
  });

  test("an unknown id is NOT_FOUND", async () => {
    const err = await serviceError(
      customers.updateCustomer(admin, { id: "01a20160-0000-7000-8000-000000000000", disabled: true }),
    );
    expect(err.code).toBe("NOT_FOUND");
  });

  test("a change of nothing, or of a field outside the schema, is refused", async () => {
    const c = await t.user();
    await expect(customers.updateCustomer(admin, { id: c.id })).rejects.toThrow(/Give role, disabled or both/);
    const sneaky = { id: c.id, disabled: false, email: "x@example.test" } as never;
    await expect(customers.updateCustomer(admin, sneaky)).rejects.toThrow(/Unrecognized key/);
  });
});
