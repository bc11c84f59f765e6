import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../tests/errors";
import { useTestApp } from "../../../tests/harness";

const t = await useTestApp();
const asAdmin = (await t.user("admin")).headers;
const admin = t.trpcWith(asAdmin);

describe("catalog.categories over tRPC", () => {
  test("admin creates a tree that anyone can list and get", async () => {
    const root = await admin.admin.categories.create.mutate({ name: "Outdoor", slug: "outdoor" });
    const child = await admin.admin.categories.create.mutate({ name: "Tents", parentId: root.id });

    const tree = await t.trpc.catalog.categories.list.query();
    const outdoor = tree.items.find((c) => c.id === root.id);
    expect(outdoor?.children.map((c) => c.slug)).toEqual(["tents"]);

    const got = await t.trpc.catalog.categories.get.query({ idOrSlug: "tents" });
    expect(got.id).toBe(child.id);
    expect(got.ancestors).toEqual([{ id: root.id, name: "Outdoor", slug: "outdoor" }]);
  });

  test("an unknown slug is NOT_FOUND with the contract code", async () => {
    const err = await trpcError(t.trpc.catalog.categories.get.query({ idOrSlug: "missing" }));
    expect(err.data.code).toBe("NOT_FOUND");
    expect(err.data.httpStatus).toBe(404);
  });

  test("invalid input names each field in data.errors", async () => {
    const err = await trpcError(admin.admin.categories.create.mutate({ name: "", slug: "Not A Slug" }));
    expect(err.data.code).toBe("VALIDATION_FAILED");
    expect(err.data.errors.map((e: { path: string }) => e.path).sort()).toEqual(["name", "slug"]);
    expect(err.message).toBe("Invalid input: name, slug");
  });

  test("a duplicate slug is CONFLICT naming slug", async () => {
    await admin.admin.categories.create.mutate({ name: "Lamps", slug: "lamps" });
    const err = await trpcError(admin.admin.categories.create.mutate({ name: "Lamps 2", slug: "lamps" }));
    expect(err.data.code).toBe("CONFLICT");
    expect(err.data.httpStatus).toBe(409);
    expect(err.data.errors).toEqual([{ path: "slug", message: "Already taken" }]);
  });

  test("errors carry no stack trace", async () => {
    const err = await trpcError(t.trpc.catalog.categories.get.query({ idOrSlug: "missing-too" }));
    expect(JSON.stringify(err.data)).not.toContain("stack");
    expect(err.data.stack).toBeUndefined();
  });
});

describe("admin.categories.create access", () => {
  test("a guest is UNAUTHENTICATED (401)", async () => {
    const err = await trpcError(t.trpc.admin.categories.create.mutate({ name: "Guest try" }));
    expect(err.data.code).toBe("UNAUTHENTICATED");
    expect(err.data.httpStatus).toBe(401);
  });

  test("a wrong admin token is UNAUTHENTICATED", async () => {
    const err = await trpcError(
      t.trpcWith({ authorization: "Bearer wrong-token" }).admin.categories.create.mutate({ name: "x" }),
    );
    expect(err.data.code).toBe("UNAUTHENTICATED");
  });
});
