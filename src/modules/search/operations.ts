import { anyone, query } from "../../lib/operation";
import { CATALOG_PUBLIC_CACHE } from "../catalog/service";
import { SearchProductsInput, SearchProductsQuery, SearchResult } from "./schemas";
import * as search from "./service";

export const searchProducts = query({
  input: SearchProductsInput,
  output: SearchResult,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  // Each search ranks and counts every match: a tighter budget per caller than a list page.
  limit: { name: "search", perMinute: 120 },
  rest: {
    method: "get",
    path: "/search/products",
    status: 200,
    operationId: "searchProducts",
    tag: "Search",
    summary: "Search products",
    description:
      "Typo-tolerant, prefix-matching text search over active products, with the list filters and facet counts. " +
      "Page with `cursor` (from `nextCursor`) or `page`.",
    responds: "One page of product cards, best match first, and the facets of every match",
    query: SearchProductsQuery,
  },
  run: (ctx, input) => search.searchProducts(ctx, input),
});
