import { describe, expect, test } from "bun:test";
import { serviceError } from "../../../tests/errors";
import { makeApiKey } from "../../../tests/factories/api-keys";
import { useTestApp } from "../../../tests/harness";
import { hashToken } from "../../lib/tokens";
import * as apiKeys from "./service";

const t = await useTestApp();
const adminUser = await t.user("admin");
const admin = t.as(adminUser).ctx;

/** The fields a service's own schema refused (reported as VALIDATION_FAILED). */
const invalidPaths = async (p: Promise<unknown>): Promise<string[]> =>
  (await serviceError(p)).details?.errors?.map((e) => e.path) ?? [];

describe("createApiKey", () => {
  test("returns a ck_ secret once, its 11-character prefix, and deduplicated scopes", async () => {
    const { key, secret } = await apiKeys.createApiKey(admin, {
      name: "  ERP sync ",
      scopes: ["catalog:read", "orders:read", "catalog:read"],
    });
    expect(secret).toMatch(/^ck_[A-Za-z0-9_-]{43}$/);
    expect(key).toMatchObject({
      name: "ERP sync",
      prefix: secret.slice(0, 11),
      scopes: ["catalog:read", "orders:read"],
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(key)).not.toContain(secret);
  });

  test("stores the SHA-256 of the secret and never the secret itself", async () => {
    const { key, secret } = await apiKeys.createApiKey(admin, { name: "Stored", scopes: ["orders:read"] });
    const rows = await t.sql`select * from api_keys where id = ${key.id}`;
    expect(rows[0]?.key_hash).toBe(hashToken(secret));
    expect(rows[0]?.created_by).toBe(adminUser.id);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  test("refuses no scopes and unknown scopes, naming scopes", async () => {
    expect(await invalidPaths(apiKeys.createApiKey(admin, { name: "Empty", scopes: [] }))).toEqual(["scopes"]);
    const unknown = apiKeys.createApiKey(admin, { name: "Root", scopes: ["catalog:read", "everything" as never] });
    expect(await invalidPaths(unknown)).toEqual(["scopes.1"]);
  });
});

describe("listApiKeys", () => {
  test("pages newest first with a cursor, never showing a hash", async () => {
    const made: string[] = [];
    for (const name of ["page-a", "page-b", "page-c"]) {
      made.push((await apiKeys.createApiKey(admin, { name, scopes: ["catalog:read"] })).key.id);
    }
    const first = await apiKeys.listApiKeys(admin, { limit: 2 });
    expect(first.items.map((k) => k.id)).toEqual(made.slice(1).reverse());
    expect(first.nextCursor).not.toBeNull();
    const second = await apiKeys.listApiKeys(admin, { limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.items.map((k) => k.id).slice(0, 1)).toEqual(made.slice(0, 1));
    expect(JSON.stringify([first, second])).not.toMatch(/hash/i);
  });

  test("keeps keys made within one millisecond apart: cursors carry microseconds", async () => {
    const [older, newer] = ["01a20160-0000-7000-8000-0000000000f1", "01a20160-0000-7000-8000-0000000000f2"] as const;
    await t.sql`insert into api_keys (id, name, prefix, key_hash, scopes, created_at) values
      (${older}, 'us-1', 'ck_x', 'h1', '{catalog:read}', '2099-01-01T00:00:00.123400Z'),
      (${newer}, 'us-2', 'ck_y', 'h2', '{catalog:read}', '2099-01-01T00:00:00.123900Z')`;
    const first = await apiKeys.listApiKeys(admin, { limit: 1 });
    const second = await apiKeys.listApiKeys(admin, { limit: 1, cursor: first.nextCursor ?? "" });
    await t.sql`delete from api_keys where id in (${older}, ${newer})`; // dated 2099: they would head later lists
    expect([...first.items, ...second.items].map((k) => k.id)).toEqual([newer, older]);
  });

  test("lists revoked keys too, with the time they were revoked", async () => {
    const revoked = await makeApiKey(t, ["catalog:read"], { revoked: true });
    const page = await apiKeys.listApiKeys(admin, { limit: 100 });
    expect(Date.parse(page.items.find((k) => k.id === revoked.id)?.revokedAt ?? "")).toBeGreaterThan(
      Date.now() - 60_000,
    );
  });

  test("refuses a cursor it did not make with VALIDATION_FAILED naming cursor", async () => {
    const err = await serviceError(apiKeys.listApiKeys(admin, { cursor: "bm90IGEgY3Vyc29y" }));
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.details?.errors).toEqual([{ path: "cursor", message: "Not a cursor from this list" }]);
  });
});

describe("revokeApiKey", () => {
  test("sets revokedAt once; revoking again succeeds and keeps the first time", async () => {
    const { key } = await apiKeys.createApiKey(admin, { name: "Twice", scopes: ["catalog:read"] });
    await apiKeys.revokeApiKey(admin, { id: key.id });
    const [first] = await t.sql`select revoked_at from api_keys where id = ${key.id}`;
    await apiKeys.revokeApiKey(admin, { id: key.id });
    const [again] = await t.sql`select revoked_at from api_keys where id = ${key.id}`;
    expect(first?.revoked_at).toBeTruthy();
    expect(again?.revoked_at).toEqual(first?.revoked_at);
  });

  test("answers NOT_FOUND for an unknown id", async () => {
    const err = await serviceError(apiKeys.revokeApiKey(admin, { id: "01a20160-0000-7000-8000-000000000000" }));
    expect(err.code).toBe("NOT_FOUND");
  });
});

describe("access", () => {
  test("refuses staff and API keys with FORBIDDEN, guests with UNAUTHENTICATED", async () => {
    const staff = t.as(await t.user("staff")).ctx;
    const key = (await t.asKey(["catalog:read", "customers:read"])).ctx;
    for (const ctx of [staff, key]) {
      expect((await serviceError(apiKeys.createApiKey(ctx, { name: "x", scopes: ["catalog:read"] }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await serviceError(apiKeys.listApiKeys(ctx, {}))).code).toBe("FORBIDDEN");
    }
    const guest = await serviceError(apiKeys.revokeApiKey(t.ctx(), { id: "01a20160-0000-7000-8000-000000000000" }));
    expect(guest.code).toBe("UNAUTHENTICATED");
  });
});
