import type { CatalogSearch, SearchAnswer, SearchRequest } from "../../lib/catalog-search";
import { withDeadline } from "../../lib/deadline";
import type { Logger } from "../../lib/logger";
import { describeFailure, NotExpressible } from "./typesense-search";

export interface FallbackOptions {
  /** While Typesense is away, how long searches go straight to the fallback before it is tried again. */
  retryAfterMs?: number;
}

/** The cheapest search that proves the live collection answers. */
const PROBE: SearchRequest = { q: "*", filters: {}, sort: "newest", limit: 1, page: 1 };

/**
 * Typesense, with Postgres answering while it is away (issue 14: searches keep
 * answering, /ready says degraded and why). Any failed search marks it away;
 * for `retryAfterMs` searches then skip it, so a dead node does not add its
 * timeout to every request, and the first search (or /ready probe) after that
 * tries it again. Index updates never fall back: they throw, and the job retries.
 */
export class FallbackSearch implements CatalogSearch {
  readonly name = "typesense";
  private away: { reason: string; since: Date; retryAt: number } | null = null;
  private readonly retryAfterMs: number;

  constructor(
    private readonly primary: CatalogSearch,
    private readonly fallback: CatalogSearch,
    private readonly log: Logger,
    opts: FallbackOptions = {},
  ) {
    this.retryAfterMs = opts.retryAfterMs ?? 5000;
  }

  async search(req: SearchRequest): Promise<SearchAnswer> {
    if (this.away && Date.now() < this.away.retryAt) return this.fallback.search(req);
    try {
      const answer = await this.primary.search(req);
      this.back();
      return answer;
    } catch (err) {
      if (!(err instanceof NotExpressible)) this.lost(describeFailure(err));
      return this.fallback.search(req);
    }
  }

  async apply(change: Parameters<CatalogSearch["apply"]>[0]): Promise<void> {
    await this.primary.apply(change);
    this.back();
  }

  async health(): Promise<{ status: "ok" | "degraded" | "down"; detail?: string }> {
    if (!this.away) {
      // A readiness probe waits for Postgres 1.5 s at most; a hung Typesense must not make it wait longer.
      const h = await withDeadline(this.primary.health(), 1500, "typesense did not answer /health within 1.5 s").catch(
        (err: Error) => ({ status: "down" as const, detail: err.message }),
      );
      if (h.status === "ok") return h;
      this.lost(h.detail ?? "typesense is not ready");
    } else if (Date.now() >= this.away.retryAt) {
      // A search, not the health endpoint: a node that is up but lost its collection still cannot answer.
      try {
        await withDeadline(this.primary.search(PROBE), 1500, "typesense did not answer a search within 1.5 s");
        this.back();
        return { status: "ok" };
      } catch (err) {
        this.lost(describeFailure(err));
      }
    }
    const away = this.away;
    return {
      status: "degraded",
      detail: `${away?.reason ?? "typesense away"} (since ${away?.since.toISOString()}); searching with ${this.fallback.name}`,
    };
  }

  private lost(reason: string): void {
    if (!this.away) this.log.warn({ reason }, `search: typesense away, answering from ${this.fallback.name}`);
    this.away = { reason, since: this.away?.since ?? new Date(), retryAt: Date.now() + this.retryAfterMs };
  }

  private back(): void {
    if (!this.away) return;
    this.log.info({ since: this.away.since }, "search: typesense answers again");
    this.away = null;
  }
}
