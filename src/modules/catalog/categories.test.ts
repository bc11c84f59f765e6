import { describe, expect, test } from "bun:test";
import { serviceError } from "../../../tests/errors";
import { hasRedis, type TestApp, useTestApp } from "../../../tests/harness";
import { Cache } from "../../lib/cache";
import type { KeyValueStore } from "../../lib/kv";
import { inTransaction } from "../../lib/transaction";
import * as catalog from "./categories";
import type { CategoryTree } from "./schemas";

const t = await useTestApp();
const staff = t.as(await t.user("staff")).ctx;
const guest = t.ctx({ kind: "guest" });

describe("createCategory", () => {
  test("creates a root category with a slug made from its name", async () => {
    const created = await catalog.createCategory(staff, { name: "Women's Shoes & Boots" });
    expect(created).toMatchObject({
      name: "Women's Shoes & Boots",
      slug: "womens-shoes-boots",
      parentId: null,
      position: 0,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("refuses a slug another category has with CONFLICT naming slug", async () => {
    await catalog.createCategory(staff, { name: "Bags", slug: "bags" });
    const err = await serviceError(catalog.createCategory(staff, { name: "More bags", slug: "bags" }));
    expect(err.code).toBe("CONFLICT");
    expect(err.details?.errors).toEqual([{ path: "slug", message: "Already taken" }]);
  });

  test("refuses a parent that does not exist, naming parentId, and writes nothing", async () => {
    const err = await serviceError(
      catalog.createCategory(staff, { name: "Orphan", parentId: "01a20160-0000-7000-8000-000000000000" }),
    );
    expect(err.code).toBe("VALIDATION_FAILED");
    expect(err.details?.errors?.[0]?.path).toBe("parentId");
    const [row] = await t.sql`select count(*)::int as n from categories where name = 'Orphan'`;
    expect(row?.n).toBe(0);
  });

  test("rejects fields outside the schema (no mass assignment)", async () => {
    const input = { name: "Sneaky", id: "01a20160-0000-7000-8000-000000000001" } as never;
    await expect(catalog.createCategory(staff, input)).rejects.toThrow(/Unrecognized key/);
  });

  test("refuses a guest with UNAUTHENTICATED", async () => {
    const err = await serviceError(catalog.createCategory(guest, { name: "Nope" }));
    expect(err.code).toBe("UNAUTHENTICATED");
  });
});

describe("listCategoryTree", () => {
  test("nests children under parents, ordered by position then name", async () => {
    const root = await catalog.createCategory(staff, { name: "Garden", slug: "garden", position: 5 });
    await catalog.createCategory(staff, { name: "Tools", parentId: root.id, position: 2 });
    await catalog.createCategory(staff, { name: "Plants", parentId: root.id, position: 1 });
    await catalog.createCategory(staff, { name: "Bulbs", parentId: root.id, position: 1 });

    const tree = await catalog.listCategoryTree(guest);
    const garden = tree.items.find((c) => c.slug === "garden");
    expect(garden?.children.map((c) => c.name)).toEqual(["Bulbs", "Plants", "Tools"]);
    expect(tree.items.some((c) => c.slug === "tools")).toBe(false);
  });

  test("shows a new category at once, although the tree is cached", async () => {
    const before = await catalog.listCategoryTree(guest);
    await catalog.createCategory(staff, { name: "Fresh", slug: "fresh" });
    const after = await catalog.listCategoryTree(guest);
    expect(before.items.some((c) => c.slug === "fresh")).toBe(false);
    expect(after.items.some((c) => c.slug === "fresh")).toBe(true);
  });
});

describe("getCategory", () => {
  test("finds a category by id and by slug, with its breadcrumb and children", async () => {
    const a = await catalog.createCategory(staff, { name: "Level A", slug: "level-a" });
    const b = await catalog.createCategory(staff, { name: "Level B", slug: "level-b", parentId: a.id });
    const c = await catalog.createCategory(staff, { name: "Level C", slug: "level-c", parentId: b.id });

    const bySlug = await catalog.getCategory(guest, { idOrSlug: "level-c" });
    expect(bySlug.id).toBe(c.id);
    expect(bySlug.ancestors.map((x) => x.slug)).toEqual(["level-a", "level-b"]);

    const byId = await catalog.getCategory(guest, { idOrSlug: b.id });
    expect(byId.slug).toBe("level-b");
    expect(byId.children.map((x) => x.id)).toEqual([c.id]);
  });

  test("answers NOT_FOUND for an unknown slug", async () => {
    const err = await serviceError(catalog.getCategory(guest, { idOrSlug: "no-such-thing" }));
    expect(err.code).toBe("NOT_FOUND");
  });
});

// The store, with cache writes held back until released: a reader that loaded from the database
// before a commit stores its result only after it.
function holdingWrites(store: KeyValueStore) {
  const loaded = Promise.withResolvers<void>();
  const released = Promise.withResolvers<void>();
  const held: KeyValueStore = {
    kind: store.kind,
    mget: (keys) => store.mget(keys),
    set: async (key, value, ttl) => {
      loaded.resolve();
      await released.promise;
      await store.set(key, value, ttl);
    },
    incr: (key, ttl) => store.incr(key, ttl),
    incrAndGet: (key, ttl, reads) => store.incrAndGet(key, ttl, reads),
    onRecover: () => {},
    deleteByPrefix: (prefix) => store.deleteByPrefix(prefix),
    ping: () => store.ping(),
    close: async () => {},
  };
  return { store: held, loaded: loaded.promise, release: () => released.resolve() };
}

const onRedis = hasRedis ? await useTestApp({ redis: true }) : null;
const caches: { name: string; app: TestApp | null }[] = [
  { name: "the in-process store", app: t },
  { name: "Redis", app: onRedis },
];

for (const { name, app } of caches) {
  describe.skipIf(!app)(`listCategoryTree racing createCategory, on ${name}`, () => {
    test("a read that loaded before the write committed is not served after the write's response", async () => {
      const a = app as TestApp;
      const system = a.ctx({ kind: "system", name: "test" });
      await a.deps.cache.invalidatePrefix(""); // nothing cached: the racing read goes to the database
      const held = holdingWrites(a.deps.kv);
      const reader = { ...a.ctx(), cache: new Cache(held.store, a.deps.log, 60) };
      const slug = `racing-${a.deps.kv.kind}`;
      let racing: Promise<CategoryTree> | undefined;

      // The write runs inside a larger transaction, as an import would: it commits when that one does.
      await inTransaction(system, async (tx) => {
        await catalog.createCategory(tx, { name: "Racing", slug });
        racing = catalog.listCategoryTree(reader);
        await held.loaded;
      });
      held.release();
      const stale = await racing;
      expect(stale?.items.some((c) => c.slug === slug)).toBe(false); // it did read before the commit

      const fresh = await catalog.listCategoryTree(a.ctx());
      expect(fresh.items.some((c) => c.slug === slug)).toBe(true);
    });
  });
}
