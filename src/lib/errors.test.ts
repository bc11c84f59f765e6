import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../tests/harness";
import { toAppError } from "./errors";

const t = await useTestApp();

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

  test("a missing referenced row is NOT_FOUND", async () => {
    const { error } = await translated(
      t.sql`insert into categories (id, name, slug, parent_id) values (gen_random_uuid(), 'C', 'c', gen_random_uuid())`,
    );
    expect(error.code).toBe("NOT_FOUND");
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
    const { createCategory } = await import("../modules/catalog/service");
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
