import { describe, expect, test } from "bun:test";
import { TRPCClientError } from "@trpc/client";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const admin = t.trpcWith((await t.user("admin")).headers);
const staff = t.trpcWith((await t.user("staff")).headers);

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof TRPCClientError) return err as unknown as { message: string; data: Record<string, any> };
    throw err;
  }
  throw new Error("expected a tRPC error");
};

describe("admin.apiKeys over tRPC", () => {
  test("admin creates, lists and revokes a key; the revoked key is then refused", async () => {
    const { key, secret } = await admin.admin.apiKeys.create.mutate({ name: "Sync", scopes: ["customers:read"] });
    expect(key.prefix).toBe(secret.slice(0, 11));

    const page = await admin.admin.apiKeys.list.query({ limit: 100 });
    expect(page.items.find((k) => k.id === key.id)).toMatchObject({ name: "Sync", revokedAt: null });
    expect(JSON.stringify(page)).not.toContain(secret);

    await admin.admin.apiKeys.revoke.mutate({ id: key.id });
    await admin.admin.apiKeys.revoke.mutate({ id: key.id });
    const err = await failure(t.trpcWith({ authorization: `Bearer ${secret}` }).admin.apiKeys.list.query({}));
    expect(err.data.code).toBe("UNAUTHENTICATED");
  });

  test("an unknown id is NOT_FOUND; a bad cursor is VALIDATION_FAILED naming cursor", async () => {
    const missing = await failure(admin.admin.apiKeys.revoke.mutate({ id: "01a20160-0000-7000-8000-000000000000" }));
    expect(missing.data.code).toBe("NOT_FOUND");
    const bad = await failure(admin.admin.apiKeys.list.query({ cursor: "garbage" }));
    expect(bad.data.code).toBe("VALIDATION_FAILED");
    expect(bad.data.errors).toEqual([{ path: "cursor", message: "Not a cursor from this list" }]);
  });

  test("an empty scope list is VALIDATION_FAILED naming scopes", async () => {
    const err = await failure(admin.admin.apiKeys.create.mutate({ name: "None", scopes: [] }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(["scopes"]);
  });
});

describe("admin.apiKeys access", () => {
  test("staff are FORBIDDEN (403)", async () => {
    const err = await failure(staff.admin.apiKeys.create.mutate({ name: "Staff", scopes: ["catalog:read"] }));
    expect(err.data.code).toBe("FORBIDDEN");
    expect(err.data.httpStatus).toBe(403);
  });

  test("an API key is FORBIDDEN to create keys", async () => {
    const { secret } = await admin.admin.apiKeys.create.mutate({ name: "Parent", scopes: ["customers:read"] });
    const err = await failure(
      t.trpcWith({ authorization: `Bearer ${secret}` }).admin.apiKeys.create.mutate({
        name: "Child",
        scopes: ["catalog:read"],
      }),
    );
    expect(err.data.code).toBe("FORBIDDEN");
  });

  test("a guest is UNAUTHENTICATED (401)", async () => {
    const err = await failure(t.trpc.admin.apiKeys.list.query({}));
    expect(err.data.code).toBe("UNAUTHENTICATED");
    expect(err.data.httpStatus).toBe(401);
  });
});
