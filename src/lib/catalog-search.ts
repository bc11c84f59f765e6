// The search port (issue 14, "Search"): what the search module asks of a search
// engine. Two adapters implement it: Postgres (always there) and Typesense (when
// TYPESENSE_URL is set). An engine answers ids in rank order and facet counts;
// the search module reads the products themselves from Postgres, so prices and
// stock on a result are never older than the database.

/** The list filters (api.md "GET /products"), already validated. */
export interface ProductFilters {
  /** Matches the category and every descendant. */
  categoryId?: string;
  collectionId?: string;
  tag?: string;
  /** Inclusive, in minor units, on any variant's price. */
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  /** Option name to value, both lower case: `{ size: "m" }`. Every pair must match. */
  options?: Record<string, string>;
}

export type SearchSort = "relevance" | "newest" | "price_asc" | "price_desc" | "title";

export interface SearchRequest {
  /** The shopper's words, trimmed, never empty. */
  q: string;
  filters: ProductFilters;
  sort: SearchSort;
  limit: number;
  /** 1-based; engines page by number, and the module turns it into an opaque cursor. */
  page: number;
  /** False: the caller shows no facets, so an engine may skip counting them (and answer empty ones). Default true. */
  facets?: boolean;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface PriceBucketCount {
  /** Inclusive bounds in minor units; `max` null for the open top bucket. */
  min: number;
  max: number | null;
  count: number;
}

/** Counts over every match (not only the page), each with the other facets' filters applied as given. */
export interface SearchFacets {
  /** Category ids, counting a product under its category and each ancestor. */
  categories: FacetCount[];
  priceBuckets: PriceBucketCount[];
  inStock: { inStock: number; outOfStock: number };
  /** Option name (lower case) to its values' counts. */
  options: Record<string, FacetCount[]>;
  tags: FacetCount[];
  /**
   * False when the engine counted only the best matches, not every one: Postgres counts at most
   * the first 1,000 in the request's order (counting all of a broad word's matches took 100-250 ms
   * at 250,000 products); Typesense counts every match.
   */
  exhaustive: boolean;
}

export interface SearchAnswer {
  /** Product ids in rank order, at most `limit`. */
  ids: string[];
  /** Whether a page after this one exists. */
  more: boolean;
  facets: SearchFacets;
}

/** A product as an engine indexes it: only active products are indexed. */
export interface SearchDocument {
  id: string;
  slug: string;
  title: string;
  description: string;
  tags: string[];
  categoryPath: string[];
  collectionIds: string[];
  /** `name=value`, lower case. */
  optionValues: string[];
  /** Every variant's price, for the inclusive price filter. */
  variantPrices: number[];
  minPrice: number;
  maxPrice: number;
  inStock: boolean;
  /** Unix seconds. */
  createdAt: number;
}

export interface CatalogSearch {
  /** `postgres`, or `typesense` (and whether it answered the last call, for /ready). */
  readonly name: string;
  search(request: SearchRequest): Promise<SearchAnswer>;
  /** Adds or replaces these documents; ids in `removed` leave the index (drafts, archived, deleted). */
  apply(change: { upserted: SearchDocument[]; removed: string[] }): Promise<void>;
  /** ok, or degraded with why (an engine that is away while Postgres answers in its place). */
  health(): Promise<{ status: "ok" | "degraded" | "down"; detail?: string }>;
}

/** The price facet's buckets, on a product's lowest price; every adapter counts these, in this order. */
export const PRICE_BUCKETS: readonly { min: number; max: number | null }[] = [
  { min: 0, max: 999 },
  { min: 1000, max: 2499 },
  { min: 2500, max: 4999 },
  { min: 5000, max: 9999 },
  { min: 10000, max: null },
];
