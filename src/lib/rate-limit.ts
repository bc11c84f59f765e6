import { AppError } from "./errors";
import { type KeyValueStore, MemoryStore } from "./kv";

export interface Limit {
  /** What is limited, e.g. `sign-in:ip:1.2.3.4`. */
  key: string;
  max: number;
  windowSeconds: number;
}

export interface LimitState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  reset: number;
  exceeded: boolean;
}

/**
 * Fixed-window counters in the key-value store. When Redis fails, counting
 * continues in this process, so a dead Redis never lifts the limits
 * (identity issue: "with Redis stopped, sign-in is still rate limited").
 */
export class RateLimiter {
  private readonly fallback = new MemoryStore(50_000);

  constructor(
    private readonly store: KeyValueStore,
    /** The general limit of each caller (API_RATE_LIMIT_PER_MINUTE), on both transports together. */
    readonly perCallerPerMinute = 600,
  ) {}

  async hit(limit: Limit): Promise<LimitState> {
    return (await this.hitAndRead(limit, [])).state;
  }

  /**
   * Counts one hit and reads `keys` in the same round trip. `values` is null
   * when the store failed: the hit was then counted in this process, and
   * nothing could be read.
   */
  async hitAndRead(limit: Limit, keys: string[]): Promise<{ state: LimitState; values: (string | null)[] | null }> {
    const at = this.windowOf(limit);
    const { count, values } = await this.store
      .incrAndGet(at.key, limit.windowSeconds, keys)
      .catch(async () => ({ count: await this.fallback.incr(at.key, limit.windowSeconds), values: null }));
    return { state: stateOf(limit, at, count, count > limit.max), values };
  }

  /**
   * Where a limit stands, counting nothing: for limits counted only when
   * something fails (failed credentials). Exceeded once the count reached `max`,
   * so the next attempt is refused before it is made.
   */
  async peek(limit: Limit): Promise<LimitState> {
    const at = this.windowOf(limit);
    const [value] = await this.store.mget([at.key]).catch(() => this.fallback.mget([at.key]));
    const count = Number(value ?? 0);
    return stateOf(limit, at, count, count >= limit.max);
  }

  private windowOf(limit: Limit) {
    const now = Math.floor(Date.now() / 1000);
    const window = Math.floor(now / limit.windowSeconds);
    return { key: `rl:${limit.key}:${window}`, window, now };
  }

  /** Counts one attempt against every limit; the first exceeded one throws RATE_LIMITED. */
  async consume(...limits: Limit[]): Promise<LimitState[]> {
    const states = await Promise.all(limits.map((l) => this.hit(l)));
    const over = states.find((s) => s.exceeded);
    if (over) throw rateLimited(over);
    return states;
  }
}

/**
 * A hit of one limit already counted for this request (in the round trip that
 * checked its credentials): the first check of that limit spends it instead of
 * counting again.
 */
export class PrepaidHit {
  constructor(
    readonly key: string,
    private state: LimitState | null,
  ) {}

  /** The counted state, once, when `key` is the prepaid limit's. */
  take(key: string): LimitState | null {
    if (key !== this.key) return null;
    const state = this.state;
    this.state = null;
    return state;
  }
}

/** Where `count` hits leave a caller in the window `at`. */
function stateOf(limit: Limit, at: { window: number; now: number }, count: number, exceeded: boolean): LimitState {
  return {
    limit: limit.max,
    remaining: Math.max(0, limit.max - count),
    reset: (at.window + 1) * limit.windowSeconds - at.now,
    exceeded,
  };
}

export function rateLimited(state: LimitState): AppError {
  return new AppError("RATE_LIMITED", `Too many requests; retry in ${state.reset} s`, {
    retryAfter: state.reset,
    limit: state.limit,
    remaining: 0,
    reset: state.reset,
  });
}

/** RateLimit-* headers (IETF draft) and, when limited, Retry-After. */
export function rateLimitHeaders(state: LimitState, limited = false): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.reset),
    ...(limited && { "Retry-After": String(state.reset) }),
  };
}
