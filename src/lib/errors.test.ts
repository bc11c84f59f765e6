import { describe, expect, test } from "bun:test";
import { trpcError } from "../../tests/errors";
import { useTestApp } from "../../tests/harness";
import { AppError, clientError, toAppError } from "./errors";

const t = await useTestApp();
const asAdmin = (await t.user("admin")).headers;

/** What the transports would answer for a real Postgres failure. */
const translated = async (query: Promise<unknown>) => {
  try {
    await query;
  } catch (err) {
    return toAppError(err);
  }
  throw new Error("expected the query to fail");
};

describe("database failures, translated in one place", () => {
  test("a unique violation is CONFLICT naming the column", async () => {
    await t.sql`insert into categories (id, name, slug) values (gen_random_uuid(), 'A', 'same-slug')`;
    const { error, unexpected } = await translated(
      t.sql`insert into categories (id, name, slug) values (gen_random_uuid(), 'B', 'same-slug')`,
    );
    expect(unexpected).toBe(false);
    expect(error.code).toBe("CONFLICT");
    expect(error.details?.errors).toEqual([{ path: "slug", message: "Already taken" }]);
  });

  test("a duplicate in a two-word table names its field, not a guess from the constraint's name", async () => {
    const [user] = await t.sql`
      insert into users (id, email, name, password_hash) values (gen_random_uuid(), 'dup@example.test', 'D', 'x')
      returning id`;
    await t.sql`insert into api_keys (id, name, prefix, key_hash, scopes) values (gen_random_uuid(), 'A', 'ck_a', 'h', '{}')`;
    await t.sql`insert into email_tokens (id, user_id, purpose, token_hash, expires_at)
      values (gen_random_uuid(), ${user?.id}, 'verify_email', 'h', now())`;
    const key = await translated(
      t.sql`insert into api_keys (id, name, prefix, key_hash, scopes) values (gen_random_uuid(), 'B', 'ck_b', 'h', '{}')`,
    );
    const token = await translated(t.sql`insert into email_tokens (id, user_id, purpose, token_hash, expires_at)
      values (gen_random_uuid(), ${user?.id}, 'reset_password', 'h', now())`);
    expect(key.error.code).toBe("CONFLICT");
    expect(key.error.message).toBe("keyHash is already taken");
    expect(key.error.details?.errors).toEqual([{ path: "keyHash", message: "Already taken" }]);
    expect(token.error.details?.errors).toEqual([{ path: "tokenHash", message: "Already taken" }]);
  });

  test("a missing referenced row is NOT_FOUND", async () => {
    const { error } = await translated(
      t.sql`insert into categories (id, name, slug, parent_id) values (gen_random_uuid(), 'C', 'c', gen_random_uuid())`,
    );
    expect(error.code).toBe("NOT_FOUND");
    expect(error.details?.errors).toEqual([{ path: "parentId", message: "Does not exist" }]);
  });

  test("a missing user behind sessions.user_id is NOT_FOUND naming userId, not the constraint", async () => {
    const { error, unexpected } = await translated(
      t.sql`insert into sessions (id, user_id, expires_at) values ('s', gen_random_uuid(), now())`,
    );
    expect(unexpected).toBe(false);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("userId refers to a record that does not exist");
    expect(error.details?.errors).toEqual([{ path: "userId", message: "Does not exist" }]);
  });

  test("an admin whose account is gone meanwhile gets NOT_FOUND naming createdBy from createApiKey", async () => {
    const { createApiKey } = await import("../modules/api-keys/service");
    const gone = await t.user("admin");
    await t.sql`delete from users where id = ${gone.id}`;
    const { error } = await translated(createApiKey(t.as(gone).ctx, { name: "Orphan", scopes: ["catalog:write"] }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.details?.errors?.[0]?.path).toBe("createdBy");
  });

  test("a constraint missing from the map is a generic CONFLICT that names no constraint", async () => {
    const { error } = await translated(
      t.sql.begin(async (tx) => {
        await tx`create temp table gadgets (code text constraint gadgets_secret_code_unique unique) on commit drop`;
        await tx`insert into gadgets values ('x'), ('x')`;
      }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toBe("A unique value is already taken");
    expect(error.details).toBeUndefined();
  });

  test("deleting a row others still reference is CONFLICT", async () => {
    const [parent] =
      await t.sql`insert into categories (id, name, slug) values (gen_random_uuid(), 'P', 'p') returning id`;
    await t.sql`insert into categories (id, name, slug, parent_id) values (gen_random_uuid(), 'K', 'k', ${parent?.id})`;
    const { error } = await translated(t.sql`delete from categories where id = ${parent?.id}`);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("still referenced");
  });

  test("a serialization failure or deadlock is CONFLICT (retryable)", async () => {
    for (const state of ["40001", "40P01"]) {
      const { error } = await translated(
        t.sql.unsafe(`do $$ begin raise exception 'simulated' using errcode = '${state}'; end $$`),
      );
      expect(error.code).toBe("CONFLICT");
    }
  });

  test("bad input from an in-process caller (a job, another service) is VALIDATION_FAILED, not a 500", async () => {
    const { createCategory } = await import("../modules/catalog/categories");
    const system = t.ctx({ kind: "system", name: "test" });
    const { error, unexpected } = await translated(createCategory(system, { name: 42 } as never));
    expect(unexpected).toBe(false);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details?.errors?.[0]?.path).toBe("name");
  });

  test("anything else is a bare INTERNAL that reveals nothing", async () => {
    const { error, unexpected } = await translated(t.sql`select * from no_such_table`);
    expect(unexpected).toBe(true);
    expect(error.code).toBe("INTERNAL");
    expect(error.message).not.toContain("no_such_table");
  });
});

describe("clientError: one translation for both transports", () => {
  test("separates field errors from the other details and keeps the message", () => {
    const body = clientError(new AppError("FORBIDDEN", "This API key lacks the scope x", { missingScope: "x" }));
    expect(body).toEqual({
      code: "FORBIDDEN",
      message: "This API key lacks the scope x",
      extra: { missingScope: "x" },
      unexpected: false,
    });
  });

  test("an unknown failure is INTERNAL, unexpected, and says nothing of its cause", () => {
    const body = clientError(new Error("select * from secret_table"));
    expect(body).toEqual({ code: "INTERNAL", message: "An unexpected error occurred", extra: {}, unexpected: true });
  });

  test("REST and tRPC answer a duplicate slug alike: 409 CONFLICT naming slug", async () => {
    const admin = t.trpcWith(asAdmin);
    await admin.admin.categories.create.mutate({ name: "Chairs", slug: "chairs" });
    const rest = await t.rest.post(
      "/api/v1/admin/categories",
      { name: "Chairs 2", slug: "chairs" },
      { headers: asAdmin },
    );
    const trpc = await trpcError(admin.admin.categories.create.mutate({ name: "Chairs 3", slug: "chairs" }));
    expect(rest.status).toBe(409);
    expect(trpc.data.httpStatus).toBe(409);
    expect(rest.body.errors).toEqual([{ path: "slug", message: "Already taken" }]);
    expect({ code: trpc.data.code, detail: trpc.message, errors: trpc.data.errors }).toEqual({
      code: rest.body.code,
      detail: rest.body.detail,
      errors: rest.body.errors,
    });
  });

  test("REST and tRPC name the same invalid fields with the same message", async () => {
    const input = { name: "", slug: "Not A Slug", extra: 1 };
    const rest = await t.rest.post("/api/v1/admin/categories", input, { headers: asAdmin });
    const trpc = await trpcError(t.trpcWith(asAdmin).admin.categories.create.mutate(input as never));
    expect(rest.status).toBe(400);
    expect(trpc.data.httpStatus).toBe(400);
    expect(rest.body.code).toBe("VALIDATION_FAILED");
    expect({ code: trpc.data.code, detail: trpc.message, errors: trpc.data.errors }).toEqual({
      code: rest.body.code,
      detail: rest.body.detail,
      errors: rest.body.errors,
    });
  });
});
