import type { PriceBucketCount } from "../../lib/catalog-search";

/**
 * The lower edges of the price facet's buckets, in minor units, on a product's
 * lowest price (the "from" price on its card): 0-999, 1000-2499, 2500-4999,
 * 5000-9999 and 10000 up. Every engine counts these same buckets, and answers
 * each of them, empty ones included, so a storefront's price filter keeps its shape.
 */
export const PRICE_BUCKET_EDGES = [0, 1000, 2500, 5000, 10_000] as const;

/** The buckets with these counts, by bucket index (0 = the cheapest). */
export function priceBuckets(countOf: (index: number) => number): PriceBucketCount[] {
  return PRICE_BUCKET_EDGES.map((min, i) => {
    const next = PRICE_BUCKET_EDGES[i + 1];
    return { min, max: next === undefined ? null : next - 1, count: countOf(i) };
  });
}

/** At most this many values per facet (per option name), the most frequent first: a facet list is for people to read. */
export const MAX_FACET_VALUES = 50;
