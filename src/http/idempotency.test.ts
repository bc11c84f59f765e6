import { describe, expect, test } from "bun:test";
import { trpcError } from "../../tests/errors";
import { useTestApp } from "../../tests/harness";
import { inTransaction } from "../lib/transaction";
import { createCategory } from "../modules/catalog/operations";
import { runOperation } from "./run-operation";

// api.md "Idempotency", on both transports: the key is claimed in the same
// transaction as the write, so the write and its stored response commit together.

const t = await useTestApp();
const admin = await t.user("admin");
const asAdmin = t.trpcWith(admin.headers);
const categoriesNamed = async (name: string) =>
  (await t.sql`select id from categories where name = ${name}`).map((r) => r.id as string);
const keyRow = async (key: string) =>
  (await t.sql`select status, body from idempotency_keys where key = ${key}`)[0] as
    | { status: number | null; body: { id?: string } | null }
    | undefined;

describe("an idempotent mutation over tRPC (idempotencyKey in the input)", () => {
  test("the same key and input replay the first result; one category is made", async () => {
    const first = await asAdmin.admin.categories.create.mutate({ name: "Lamps", idempotencyKey: "trpc-lamps" });
    const again = await asAdmin.admin.categories.create.mutate({ name: "Lamps", idempotencyKey: "trpc-lamps" });
    expect(again).toEqual(first);
    expect(await categoriesNamed("Lamps")).toEqual([first.id]);
  });

  test("the same key with another input is UNPROCESSABLE IDEMPOTENCY_KEY_REUSED, and nothing is made", async () => {
    await asAdmin.admin.categories.create.mutate({ name: "Vases", idempotencyKey: "trpc-vases" });
    const error = await trpcError(
      asAdmin.admin.categories.create.mutate({ name: "Urns", idempotencyKey: "trpc-vases" }),
    );
    expect(error.data.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(error.data.httpStatus).toBe(422);
    expect(await categoriesNamed("Urns")).toEqual([]);
  });

  test("without a key, every call has its effect", async () => {
    await asAdmin.admin.categories.create.mutate({ name: "Stools", slug: "stools-1" });
    await asAdmin.admin.categories.create.mutate({ name: "Stools", slug: "stools-2" });
    expect(await categoriesNamed("Stools")).toHaveLength(2);
  });

  test("keys are the caller's own: another admin's identical key is a new request", async () => {
    const other = t.trpcWith((await t.user("admin")).headers);
    const mine = await asAdmin.admin.categories.create.mutate({
      name: "Rugs",
      slug: "rugs-a",
      idempotencyKey: "k-rugs",
    });
    const theirs = await other.admin.categories.create.mutate({
      name: "Rugs",
      slug: "rugs-b",
      idempotencyKey: "k-rugs",
    });
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe("one key across both transports", () => {
  test("a REST request retried over tRPC with the same key and input replays it", async () => {
    const rest = await t.rest.post(
      "/api/v1/admin/categories",
      { name: "Mirrors" },
      { headers: { ...admin.headers, "idempotency-key": "both-mirrors" } },
    );
    expect(rest.status).toBe(201);
    const trpc = await asAdmin.admin.categories.create.mutate({ name: "Mirrors", idempotencyKey: "both-mirrors" });
    expect(trpc.id).toBe(rest.body.id);
    expect(await categoriesNamed("Mirrors")).toHaveLength(1);
  });
});

describe("the key commits with the write", () => {
  const adminCtx = () =>
    t.ctx({ kind: "user", userId: admin.id, role: "admin", sessionId: "idempotency-test", via: "bearer" });
  const responder = { appendHeader: () => {}, secureCookies: false, checkOutput: true };

  test("once the call returns, the key is completed with the response, before any reply is sent", async () => {
    const output = (await runOperation(adminCtx(), createCategory, { name: "Clocks" }, responder, "commit-clocks")) as {
      id: string;
    };
    // What a retry finds if the process died right here, after the commit and before answering.
    expect(await keyRow("commit-clocks")).toEqual({ status: 201, body: expect.objectContaining({ id: output.id }) });
  });

  test("a rolled back write leaves no key behind: the retry runs anew", async () => {
    await inTransaction(adminCtx(), async (tx) => {
      await runOperation(tx, createCategory, { name: "Frames" }, responder, "rollback-frames");
      throw new Error("crash before the commit");
    }).catch(() => {});
    expect(await keyRow("rollback-frames")).toBeUndefined();
    expect(await categoriesNamed("Frames")).toEqual([]);
    await runOperation(adminCtx(), createCategory, { name: "Frames" }, responder, "rollback-frames");
    expect(await categoriesNamed("Frames")).toHaveLength(1);
  });

  test("concurrent requests with one key have one effect, and both get its response", async () => {
    const send = () =>
      t.rest.post(
        "/api/v1/admin/categories",
        { name: "Shelves" },
        { headers: { ...admin.headers, "idempotency-key": "race-shelves" } },
      );
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await categoriesNamed("Shelves")).toHaveLength(1);
  });
});
