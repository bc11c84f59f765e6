import type { PublicCache } from "../../lib/operation";

// What cached catalog reads depend on (lib/cache.ts tags). A write invalidates
// exactly the tags of what it changed, after its transaction commits.

/** The category tree and every category page. */
export const CATEGORIES_TAG = "categories";
/** Every product list page and search answer: anything a card shows or a filter reads. */
export const PRODUCT_LISTS_TAG = "product-lists";
/** The collection list and every collection page. */
export const COLLECTIONS_TAG = "collections";
/** One product's detail, by id (its slug lookups carry the same tag). */
export const productTag = (productId: string) => `product:${productId}`;

/**
 * How long a CDN may keep a public catalog answer, and serve it stale while it asks again. Short: our
 * own cache is exact after every write, a CDN's only within this.
 */
export const CATALOG_PUBLIC_CACHE: PublicCache = { maxAgeSeconds: 30, staleWhileRevalidateSeconds: 120 };
