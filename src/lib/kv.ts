import { Redis } from "ioredis";
import { BoundedMap } from "./bounded-map";
import type { Logger } from "./logger";

/**
 * The small key-value surface cache and rate limits need, with two
 * implementations: Redis when REDIS_URL is set, an in-process map otherwise.
 * Values are strings; TTLs are seconds.
 */
export interface KeyValueStore {
  readonly kind: "redis" | "memory";
  mget(keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Adds one and returns the count; the key expires `ttlSeconds` after it was created. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * `incr`, and a read of other keys, in one round trip: what a request must
   * check beside its rate limit costs nothing more on the network.
   */
  incrAndGet(
    key: string,
    ttlSeconds: number,
    readKeys: string[],
  ): Promise<{ count: number; values: (string | null)[] }>;
  /** Called after the store comes back from an outage (writes may have been missed). */
  onRecover(listener: () => void): void;
  deleteByPrefix(prefix: string): Promise<number>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export class MemoryStore implements KeyValueStore {
  readonly kind = "memory" as const;
  // Bounded: past the limit, the entry written longest ago is dropped.
  private readonly entries: BoundedMap<string, { value: string; expiresAt: number }>;

  constructor(maxEntries = 10_000) {
    this.entries = new BoundedMap(maxEntries);
  }

  private read(key: string): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async mget(keys: string[]) {
    return keys.map((k) => this.read(k));
  }

  async set(key: string, value: string, ttlSeconds: number) {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  onRecover() {}

  async incr(key: string, ttlSeconds: number) {
    // Counting is the rate limiter's hot path: bump a live entry in place.
    const entry = this.read(key) === null ? undefined : this.entries.get(key);
    if (entry) {
      const next = Number(entry.value) + 1;
      entry.value = String(next);
      return next;
    }
    await this.set(key, "1", ttlSeconds);
    return 1;
  }

  async incrAndGet(key: string, ttlSeconds: number, readKeys: string[]) {
    return { count: await this.incr(key, ttlSeconds), values: readKeys.map((k) => this.read(k)) };
  }

  async deleteByPrefix(prefix: string) {
    let n = 0;
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }

  async ping() {
    return true;
  }

  async close() {
    this.entries.clear();
  }
}

export interface RedisStoreOptions {
  url: string;
  keyPrefix?: string;
  log: Logger;
}

/**
 * Redis that fails fast: no offline queue, short timeouts, capped reconnect
 * backoff. A dead Redis costs a request at most ~100 ms once, then the client
 * rejects at once until it reconnects by itself.
 */
export class RedisStore implements KeyValueStore {
  readonly kind = "redis" as const;
  readonly client: Redis;
  private readonly prefix: string;
  private readonly recoverListeners: (() => void)[] = [];

  constructor(opts: RedisStoreOptions) {
    this.prefix = opts.keyPrefix ?? "";
    this.client = new Redis(opts.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 250,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    let down = false;
    this.client.on("error", (err: Error) => {
      if (!down) opts.log.warn({ err: err.message }, "redis unavailable: continuing without it until it is back");
      down = true;
    });
    this.client.on("ready", () => {
      if (down) {
        opts.log.info("redis is back");
        for (const listener of this.recoverListeners) listener();
      }
      down = false;
    });
  }

  /** Connects without failing boot: the server runs (degraded) while Redis is away. */
  async connect(): Promise<void> {
    await this.client.connect().catch(() => undefined);
  }

  /** Whether it is (or becomes, within `ms`) ready to take commands. */
  async waitUntilReady(ms: number): Promise<boolean> {
    if (this.client.status === "ready") return true;
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off("ready", onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.client.on("ready", onReady);
    });
  }

  async mget(keys: string[]) {
    if (keys.length === 0) return [];
    return this.client.mget(...keys.map((k) => this.prefix + k));
  }

  async set(key: string, value: string, ttlSeconds: number) {
    await this.client.set(this.prefix + key, value, "EX", ttlSeconds);
  }

  onRecover(listener: () => void) {
    this.recoverListeners.push(listener);
  }

  async incr(key: string, ttlSeconds: number) {
    return (await this.incrAndGet(key, ttlSeconds, [])).count;
  }

  async incrAndGet(key: string, ttlSeconds: number, readKeys: string[]) {
    const k = this.prefix + key;
    const queued = this.client.multi().incr(k).expire(k, ttlSeconds, "NX");
    for (const read of readKeys) queued.get(this.prefix + read);
    const results = (await queued.exec()) ?? [];
    const failed = results.find(([err]) => err);
    const [incr, , ...reads] = results;
    if (!incr || failed) throw failed?.[0] ?? new Error("redis: no reply");
    return { count: Number(incr[1]), values: reads.map(([, value]) => (value ?? null) as string | null) };
  }

  async deleteByPrefix(prefix: string) {
    let cursor = "0";
    let n = 0;
    do {
      const [next, keys] = await this.client.scan(cursor, "MATCH", `${this.prefix}${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) n += await this.client.unlink(...keys);
    } while (cursor !== "0");
    return n;
  }

  async ping() {
    try {
      return (await this.client.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close() {
    this.client.disconnect();
  }
}
