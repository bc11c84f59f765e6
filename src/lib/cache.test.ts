import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pino from "pino";
import { freePort } from "../../tests/services";
import { Cache } from "./cache";
import { type KeyValueStore, MemoryStore, RedisStore } from "./kv";

const log = pino({ level: "silent" });
const redisUrl = process.env.CW_TEST_REDIS_URL;

const stores: { name: string; available: boolean; make: () => Promise<KeyValueStore> }[] = [
  { name: "in-process store", available: true, make: async () => new MemoryStore() },
  {
    name: "Redis",
    available: Boolean(redisUrl),
    make: async () => {
      const store = new RedisStore({ url: redisUrl ?? "", keyPrefix: `cache-test-${process.pid}:`, log });
      await store.connect();
      return store;
    },
  },
];

for (const { name, available, make } of stores) {
  describe.skipIf(!available)(`Cache on the ${name}`, () => {
    let store: KeyValueStore;
    let cache: Cache;
    beforeAll(async () => {
      store = await make();
      cache = new Cache(store, log, 60);
    });
    afterAll(() => store.close());
    const counting = () => {
      let calls = 0;
      return { load: async () => ++calls, calls: () => calls };
    };

    test("serves a cached value without calling the loader again", async () => {
      const loader = counting();
      expect(await cache.wrap("a", {}, loader.load)).toBe(1);
      expect(await cache.wrap("a", {}, loader.load)).toBe(1);
      expect(loader.calls()).toBe(1);
    });

    test("invalidating a tag makes only entries carrying it stale", async () => {
      const tagged = counting();
      const other = counting();
      await cache.wrap("tagged", { tags: ["products"] }, tagged.load);
      await cache.wrap("other", { tags: ["categories"] }, other.load);
      await cache.invalidateTags(["products"]);
      expect(await cache.wrap("tagged", { tags: ["products"] }, tagged.load)).toBe(2);
      expect(await cache.wrap("other", { tags: ["categories"] }, other.load)).toBe(1);
    });

    test("invalidating a prefix drops the matching keys", async () => {
      const loader = counting();
      await cache.wrap("page:1", {}, loader.load);
      await cache.invalidatePrefix("page:");
      expect(await cache.wrap("page:1", {}, loader.load)).toBe(2);
    });

    test("expires entries after their TTL", async () => {
      const loader = counting();
      await cache.wrap("short", { ttlSeconds: 1 }, loader.load);
      await Bun.sleep(1100);
      expect(await cache.wrap("short", { ttlSeconds: 1 }, loader.load)).toBe(2);
    });
  });
}

describe("Cache on an unreachable Redis", () => {
  test("falls back to the loader instead of failing", async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}`, log });
    await store.connect();
    const cache = new Cache(store, log, 60);
    expect(await cache.wrap("x", { tags: ["t"] }, async () => "fresh")).toBe("fresh");
    await cache.invalidateTags(["t"]);
    expect(await store.ping()).toBe(false);
    await store.close();
  });
});

describe("MemoryStore", () => {
  test("counts with incr until the window expires, then starts again", async () => {
    const store = new MemoryStore();
    expect([await store.incr("n", 1), await store.incr("n", 1), await store.incr("n", 1)]).toEqual([1, 2, 3]);
    await Bun.sleep(1050);
    expect(await store.incr("n", 1)).toBe(1);
  });

  test("keeps at most its capacity, dropping the oldest writes", async () => {
    const store = new MemoryStore(2);
    await store.set("a", "1", 60);
    await store.set("b", "2", 60);
    await store.set("c", "3", 60);
    expect(await store.mget(["a", "b", "c"])).toEqual([null, "2", "3"]);
  });
});
