import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../tests/errors";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const admin = t.as(await t.user("admin")).trpc;
const staff = t.as(await t.user("staff")).trpc;

describe("admin.apiKeys over tRPC", () => {
  test("admin creates, lists and revokes a key; the revoked key is then refused", async () => {
    const { key, secret } = await admin.admin.apiKeys.create.mutate({ name: "Sync", scopes: ["customers:read"] });
    expect(key.prefix).toBe(secret.slice(0, 11));

    const page = await admin.admin.apiKeys.list.query({ limit: 100 });
    expect(page.items.find((k) => k.id === key.id)).toMatchObject({ name: "Sync", revokedAt: null });
    expect(JSON.stringify(page)).not.toContain(secret);

    await admin.admin.apiKeys.revoke.mutate({ id: key.id });
    await admin.admin.apiKeys.revoke.mutate({ id: key.id });
    const err = await trpcError(t.trpcWith({ authorization: `Bearer ${secret}` }).admin.apiKeys.list.query({}));
    expect(err.data.code).toBe("UNAUTHENTICATED");
  });

  test("an unknown id is NOT_FOUND; a bad cursor is VALIDATION_FAILED naming cursor", async () => {
    const missing = await trpcError(admin.admin.apiKeys.revoke.mutate({ id: "01a20160-0000-7000-8000-000000000000" }));
    expect(missing.data.code).toBe("NOT_FOUND");
    const bad = await trpcError(admin.admin.apiKeys.list.query({ cursor: "garbage" }));
    expect(bad.data.code).toBe("VALIDATION_FAILED");
    expect(bad.data.errors).toEqual([{ path: "cursor", message: "Not a cursor from this list" }]);
  });

  test("an empty scope list is VALIDATION_FAILED naming scopes", async () => {
    const err = await trpcError(admin.admin.apiKeys.create.mutate({ name: "None", scopes: [] }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(["scopes"]);
  });
});

describe("admin.apiKeys access", () => {
  test("staff are FORBIDDEN (403)", async () => {
    const err = await trpcError(staff.admin.apiKeys.create.mutate({ name: "Staff", scopes: ["catalog:read"] }));
    expect(err.data.code).toBe("FORBIDDEN");
    expect(err.data.httpStatus).toBe(403);
  });

  test("an API key is FORBIDDEN to create keys", async () => {
    const parent = await t.asKey(["customers:read"]);
    const err = await trpcError(parent.trpc.admin.apiKeys.create.mutate({ name: "Child", scopes: ["catalog:read"] }));
    expect(err.data.code).toBe("FORBIDDEN");
  });

  test("a guest is UNAUTHENTICATED (401)", async () => {
    const err = await trpcError(t.trpc.admin.apiKeys.list.query({}));
    expect(err.data.code).toBe("UNAUTHENTICATED");
    expect(err.data.httpStatus).toBe(401);
  });
});
