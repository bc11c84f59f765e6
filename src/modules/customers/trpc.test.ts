import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../tests/errors";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const admin = t.as(await t.user("admin")).trpc;
const staffUser = await t.user("staff");
const staff = t.as(staffUser).trpc;

describe("admin.customers over tRPC", () => {
  test("lists with cursors through every page", async () => {
    const made = [(await t.user()).id, (await t.user()).id, (await t.user()).id];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await staff.admin.customers.list.query({ limit: 2, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual([...made].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  test("gets one account and searches by email", async () => {
    const c = await t.user();
    expect(await staff.admin.customers.get.query({ id: c.id })).toMatchObject({ id: c.id, disabled: false });
    const found = await staff.admin.customers.list.query({ q: c.email.toUpperCase() });
    expect(found.items.map((x) => x.id)).toEqual([c.id]);
  });

  test("an admin changes a role and disables; the account's token then fails", async () => {
    const c = await t.user();
    const promoted = await admin.admin.customers.update.mutate({ id: c.id, role: "staff" });
    expect(promoted.role).toBe("staff");
    const err = await trpcError(t.as(c).trpc.me.get.query());
    expect(err.data.code).toBe("UNAUTHENTICATED");
    const disabled = await admin.admin.customers.update.mutate({ id: c.id, disabled: true });
    expect(disabled).toMatchObject({ role: "staff", disabled: true });
  });

  test("a bad cursor is VALIDATION_FAILED naming cursor", async () => {
    const err = await trpcError(staff.admin.customers.list.query({ cursor: "garbage" }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.httpStatus).toBe(400);
    expect(err.data.errors[0].path).toBe("cursor");
  });

  test("an unknown id is NOT_FOUND", async () => {
    const err = await trpcError(admin.admin.customers.get.query({ id: "01a20160-0000-7000-8000-000000000000" }));
    expect(err.data.code).toBe("NOT_FOUND");
  });

  test("an unknown field is VALIDATION_FAILED naming it", async () => {
    const c = await t.user();
    const err = await trpcError(
      admin.admin.customers.update.mutate({ id: c.id, disabled: true, passwordHash: "x" } as never),
    );
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors).toEqual([{ path: "passwordHash", message: "Unknown field: passwordHash" }]);
  });
});

describe("admin.customers access", () => {
  test("staff changing a role is FORBIDDEN", async () => {
    const c = await t.user();
    const err = await trpcError(staff.admin.customers.update.mutate({ id: c.id, role: "admin" }));
    expect(err.data.code).toBe("FORBIDDEN");
    expect(err.data.httpStatus).toBe(403);
  });

  test("changing one's own account is FORBIDDEN", async () => {
    const err = await trpcError(staff.admin.customers.update.mutate({ id: staffUser.id, disabled: true }));
    expect(err.data.code).toBe("FORBIDDEN");
  });

  test("a customer is FORBIDDEN and a guest UNAUTHENTICATED", async () => {
    const customer = t.as(await t.user()).trpc;
    expect((await trpcError(customer.admin.customers.list.query({}))).data.code).toBe("FORBIDDEN");
    expect((await trpcError(t.trpc.admin.customers.list.query({}))).data.code).toBe("UNAUTHENTICATED");
  });
});
