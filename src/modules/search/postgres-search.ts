// PLACEHOLDER on the Typesense branch (h-typesense): the search helper's branch owns this file and
// its real adapter (weighted tsvector, typos, facets). This one answers ids by a plain title and
// description match with the shared list filters, enough to test the Typesense fallback against;
// the integrator keeps the other branch's version.
import { and, desc, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { products } from "../../db/schema";
import type { CatalogSearch, SearchAnswer, SearchRequest } from "../../lib/catalog-search";
import { PRICE_BUCKETS } from "../../lib/catalog-search";
import { productFilterSql } from "../catalog/service";

export class PostgresSearch implements CatalogSearch {
  readonly name = "postgres";
  constructor(private readonly db: Db) {}

  async search(req: SearchRequest): Promise<SearchAnswer> {
    const words = req.q.toLowerCase().split(/\s+/).filter(Boolean);
    const text = words.map((w) => sql`lower(${products.title} || ' ' || ${products.description}) like ${`%${w}%`}`);
    const rows = await this.db
      .select({ id: products.id })
      .from(products)
      .where(and(...productFilterSql(req.filters), ...text))
      .orderBy(desc(products.createdAt), desc(products.id))
      .limit(req.limit + 1)
      .offset((req.page - 1) * req.limit);
    return {
      ids: rows.slice(0, req.limit).map((r) => r.id),
      more: rows.length > req.limit,
      facets: {
        categories: [],
        priceBuckets: PRICE_BUCKETS.map((b) => ({ ...b, count: 0 })),
        inStock: { inStock: 0, outOfStock: 0 },
        options: {},
        tags: [],
      },
    };
  }

  async apply(): Promise<void> {}

  async health() {
    return { status: "ok" as const };
  }
}
