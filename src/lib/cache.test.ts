import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
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

/** Waits (briefly) for a loader to have started: a store round trip comes first. */
async function until(started: () => boolean) {
  for (let i = 0; i < 200 && !started(); i++) await Bun.sleep(1);
  expect(started()).toBe(true);
}

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

    describe("concurrent misses of one key", () => {
      const gated = <T>(value: T) => {
        let calls = 0;
        let open: () => void = () => {};
        const gate = new Promise<void>((resolve) => {
          open = resolve;
        });
        const load = async () => {
          calls++;
          await gate;
          return value;
        };
        return { load, open: () => open(), calls: () => calls };
      };

      test("run the loader once, and every caller gets its value", async () => {
        const loader = gated({ tree: [1, 2] });
        const reads = Array.from({ length: 10 }, () => cache.wrap("flight", { tags: ["f"] }, loader.load));
        loader.open();
        const values = await Promise.all(reads);
        expect(loader.calls()).toBe(1);
        expect(new Set(values).size).toBe(1);
        expect(values[0]).toEqual({ tree: [1, 2] });
      });

      test("a failed load fails the callers that shared it, and the next call loads again", async () => {
        let calls = 0;
        const failing = async () => {
          calls++;
          await Bun.sleep(5);
          throw new Error("database away");
        };
        const reads = Array.from({ length: 5 }, () => cache.wrap("flaky", {}, failing).catch((e: Error) => e.message));
        expect(await Promise.all(reads)).toEqual(Array(5).fill("database away"));
        expect(calls).toBe(1);
        expect(await cache.wrap("flaky", {}, async () => "recovered")).toBe("recovered");
      });

      test("a caller that read versions after an invalidation does not join the load started before it", async () => {
        const before = gated("old");
        const first = cache.wrap("racing", { tags: ["r"] }, before.load);
        await until(() => before.calls() === 1);
        await cache.invalidateTags(["r"]);
        const after = gated("new");
        const second = cache.wrap("racing", { tags: ["r"] }, after.load);
        await until(() => after.calls() === 1);
        after.open();
        expect(await second).toBe("new");
        // The old load ends last and stores under the versions it read: never served again.
        before.open();
        expect(await first).toBe("old");
        expect(await cache.wrap("racing", { tags: ["r"] }, async () => "reloaded")).not.toBe("old");
      });
    });

    test("a hit hands out the object the load returned, not a copy", async () => {
      const value = { id: "same" };
      expect(await cache.wrap("identity", {}, async () => value)).toBe(value);
      expect(await cache.wrap("identity", {}, async () => ({ id: "other" }))).toBe(value);
    });

    test("expires entries after their TTL", async () => {
      const loader = counting();
      await cache.wrap("short", { ttlSeconds: 1 }, loader.load);
      await Bun.sleep(1100);
      expect(await cache.wrap("short", { ttlSeconds: 1 }, loader.load)).toBe(2);
    });
  });
}

describe("Cache.wrap under any interleaving of reads and writes (in-process store)", () => {
  const step = fc.record({
    kind: fc.constantFrom("read", "read", "write"),
    startMs: fc.integer({ min: 0, max: 6 }),
    loadMs: fc.integer({ min: 0, max: 3 }),
  });

  test("a read begun after a write's invalidation returns its data or newer, and loads never outnumber reads", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const cache = new Cache(new MemoryStore(), log, 60);
        let data = 0;
        let clock = 0;
        let loads = 0;
        const invalidated: { version: number; at: number }[] = [];
        const reads: { startedAt: number; value: number }[] = [];
        const load = async (ms: number) => {
          loads++;
          await Bun.sleep(ms);
          const value = data;
          await Bun.sleep(ms);
          return value;
        };
        await Promise.all(
          steps.map(async ({ kind, startMs, loadMs }) => {
            await Bun.sleep(startMs);
            if (kind === "write") {
              const version = ++data;
              await cache.invalidateTags(["data"]);
              invalidated.push({ version, at: ++clock });
            } else {
              const startedAt = ++clock;
              reads.push({ startedAt, value: await cache.wrap("data", { tags: ["data"] }, () => load(loadMs)) });
            }
          }),
        );
        for (const read of reads) {
          const seen = invalidated.filter((w) => w.at < read.startedAt).map((w) => w.version);
          expect(read.value).toBeGreaterThanOrEqual(Math.max(0, ...seen));
        }
        expect(loads).toBeLessThanOrEqual(reads.length);
      }),
      { numRuns: 40 },
    );
  });
});

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
