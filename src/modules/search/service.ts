import type { z } from "@hono/zod-openapi";
import type { SearchFacets as EngineFacets } from "../../lib/catalog-search";
import type { Ctx } from "../../lib/context";
import * as catalog from "../catalog/service";
import { MAX_PAGE, type SearchFacets, SearchProductsInput, type SearchResult } from "./schemas";
import { encodeSearchCursor, pageOf } from "./search-cursor";

/**
 * Active products matching the shopper's words (typos and unfinished words
 * too) and the list filters, ranked by the engine (ctx.search), with facets.
 * The cards are read from Postgres in the engine's order, so a price shown is
 * never older than the database, whatever the engine's index holds.
 */
export async function searchProducts(ctx: Ctx, raw: z.input<typeof SearchProductsInput>): Promise<SearchResult> {
  const input = SearchProductsInput.parse(raw);
  const page = pageOf(input);
  const { q, sort, limit, facets, categoryId, collectionId, tag, minPrice, maxPrice, inStock, options } = input;
  const answer = await ctx.search.search({
    q,
    filters: { categoryId, collectionId, tag, minPrice, maxPrice, inStock, options },
    sort,
    limit,
    page,
    facets,
  });
  return {
    items: await catalog.cardsByIds(ctx, answer.ids),
    nextCursor: answer.more && page < MAX_PAGE ? encodeSearchCursor(input, page + 1) : null,
    facets: facets ? withCurrency(answer.facets) : null,
  };
}

const withCurrency = (facets: EngineFacets): SearchFacets => ({
  ...facets,
  priceBuckets: facets.priceBuckets.map((b) => ({ ...b, currency: catalog.STORE_CURRENCY })),
});
