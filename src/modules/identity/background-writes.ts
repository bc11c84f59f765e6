import { BoundedMap } from "../../lib/bounded-map";
import type { Logger } from "../../lib/logger";

/**
 * Writes a response must not wait for (a session's slid expiry, an API key's
 * "last used"): started at once and not awaited, a failure logged; each key is
 * written at most once a minute by this process. Bounded: the oldest keys are
 * forgotten first, which at worst lets one of them write again early.
 */
export class BackgroundWrites {
  private readonly lastWrite: BoundedMap<string, number>;

  constructor(
    private readonly log: Logger,
    private readonly everyMs = 60_000,
    maxKeys = 10_000,
  ) {
    this.lastWrite = new BoundedMap(maxKeys);
  }

  /** Starts `write` unless `key` was written within the last minute; `what` names it in the log (never a secret). */
  once(key: string, what: string, write: () => Promise<unknown>): void {
    const last = this.lastWrite.get(key);
    if (last !== undefined && Date.now() - last < this.everyMs) return;
    this.written(key);
    write().catch((err: Error) => this.log.error({ err: err.message, what }, "background write failed"));
  }

  /** Records that `key` was just written some other way (with a read the request made anyway). */
  written(key: string): void {
    this.lastWrite.set(key, Date.now());
  }
}
