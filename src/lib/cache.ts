import { BoundedMap } from "./bounded-map";
import type { KeyValueStore } from "./kv";
import type { Logger } from "./logger";

export interface CacheOptions {
  ttlSeconds?: number;
  /** Invalidating any of these tags makes the entry stale. */
  tags?: string[];
}

/** How long a tag's version is kept: whatever remembers one must re-check sooner than this. */
export const TAG_TTL_SECONDS = 86_400;

interface Entry {
  /** Tag versions when the value was written. */
  v: Record<string, string>;
  d: unknown;
}

/** Where a tag's version is kept in the store: reading it beside another command checks a tag in that round trip. */
export const tagKey = (tag: string) => `t:${tag}`;

/**
 * Read-through cache over the key-value store. Tags are version counters: an
 * entry remembers the versions of its tags, and invalidating a tag bumps its
 * version, so one MGET reads the value and checks it is fresh. A store failure
 * is a cache miss: callers never fail because the cache did.
 *
 * Concurrent misses of one key in this process run its loader once.
 *
 * Values handed out are shared between callers: treat them as read-only.
 */
export class Cache {
  // The last decoded entry per key, reused while the stored string is the same:
  // parsing a cached payload on every hit was the largest cost of a cached read
  // (bench/RESULTS.md). Bounded; the oldest key is dropped first.
  private readonly decoded = new BoundedMap<string, { raw: string; entry: Entry }>(1000);
  private readonly invalidateListeners: ((tags: string[]) => void)[] = [];
  /** Loads in flight in this process, by key and the tag versions they were started under. */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Logger,
    private readonly defaultTtl: number,
  ) {
    // Invalidations sent while Redis was away were lost: drop what it holds.
    store.onRecover(() => {
      this.store.deleteByPrefix("c:").catch(() => undefined);
    });
  }

  async wrap<T>(key: string, opts: CacheOptions, load: () => Promise<T>): Promise<T> {
    const tags = opts.tags ?? [];
    const values = await this.store.mget([`c:${key}`, ...tags.map(tagKey)]).catch(() => null);
    if (values === null) return load();
    const [raw, ...versions] = values;
    const current = Object.fromEntries(tags.map((t, i) => [t, versions[i] ?? "0"]));
    if (raw) {
      const entry = this.decode(key, raw);
      if (tags.every((t) => entry.v[t] === current[t])) return entry.d as T;
    }
    // Callers that missed under the same tag versions share one load. One that read newer
    // versions (an invalidation came in between) starts its own: the load in flight may
    // have read the data before the write committed.
    const flight = `${key}\u0000${tags.map((t) => current[t]).join("\u0000")}`;
    let pending = this.loading.get(flight) as Promise<T> | undefined;
    if (!pending) {
      // Settled loads leave the map, failed ones too: the next miss tries again.
      pending = this.loadAndStore(key, current, opts, load).finally(() => this.loading.delete(flight));
      this.loading.set(flight, pending);
    }
    return pending;
  }

  private async loadAndStore<T>(
    key: string,
    versions: Record<string, string>,
    opts: CacheOptions,
    load: () => Promise<T>,
  ): Promise<T> {
    const value = await load();
    // Stored under the versions read before the load: if a tag was invalidated meanwhile,
    // the next reader sees a newer version and loads again.
    const entry: Entry = { v: versions, d: value };
    const raw = JSON.stringify(entry);
    // Hits hand out this very object until the entry changes, so what callers derive from it
    // once (the HTTP body and its ETag, src/http/public-cache.ts) is derived once per version.
    this.decoded.set(key, { raw, entry });
    await this.store.set(`c:${key}`, raw, opts.ttlSeconds ?? this.defaultTtl).catch(() => undefined);
    return value;
  }

  private decode(key: string, raw: string): Entry {
    const known = this.decoded.get(key);
    if (known?.raw === raw) return known.entry;
    const entry = JSON.parse(raw) as Entry;
    this.decoded.set(key, { raw, entry });
    return entry;
  }

  /** Makes every entry carrying one of these tags stale. */
  async invalidateTags(tags: string[]): Promise<void> {
    for (const listener of this.invalidateListeners) listener(tags);
    // A fresh random version, never a counter: a version key that expired and
    // was counted up again could repeat one an old entry remembers.
    const version = Bun.randomUUIDv7();
    await Promise.all(tags.map((t) => this.store.set(tagKey(t), version, TAG_TTL_SECONDS))).catch((err: Error) => {
      // The store is away; entries expire within their TTL and are dropped on recovery.
      this.log.debug({ err: err.message, tags }, "cache invalidation skipped");
    });
  }

  /** Called, in this process, at once for each invalidation (before the store has it). */
  onInvalidate(listener: (tags: string[]) => void): void {
    this.invalidateListeners.push(listener);
  }

  async invalidatePrefix(prefix: string): Promise<void> {
    await this.store.deleteByPrefix(`c:${prefix}`).catch(() => undefined);
  }
}
