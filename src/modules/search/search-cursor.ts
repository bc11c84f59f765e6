import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { AppError } from "../../lib/errors";
import { MAX_PAGE, type SearchProductsInput } from "./schemas";

// A search's cursor is the next page's number, bound to the search it came
// from: the same words, filters, sort and page size. A cursor from another
// search (or a forged one) is a 400, as a page number out of its search would
// silently show the wrong products.

const Cursor = z.strictObject({ page: z.number().int().min(2).max(MAX_PAGE), of: z.string().length(16) });

/** The search a cursor belongs to, as a short digest: everything but the page. */
function fingerprint(input: SearchProductsInput): string {
  const { q, categoryId, collectionId, tag, minPrice, maxPrice, inStock, options, sort, limit } = input;
  const sortedOptions = Object.entries(options ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const key = JSON.stringify([
    q,
    categoryId,
    collectionId,
    tag,
    minPrice,
    maxPrice,
    inStock,
    sortedOptions,
    sort,
    limit,
  ]);
  return createHash("sha256").update(key).digest("base64url").slice(0, 16);
}

export const encodeSearchCursor = (input: SearchProductsInput, page: number): string =>
  Buffer.from(JSON.stringify({ page, of: fingerprint(input) })).toString("base64url");

const invalid = (path: string, message: string) =>
  new AppError("VALIDATION_FAILED", `Invalid input: ${path}`, { errors: [{ path, message }] });

/** The page to answer: from the cursor, or `page`, or the first; both given must agree. */
export function pageOf(input: SearchProductsInput): number {
  if (input.cursor === undefined) return input.page ?? 1;
  let cursor: z.infer<typeof Cursor>;
  try {
    cursor = Cursor.parse(JSON.parse(Buffer.from(input.cursor, "base64url").toString("utf8")));
  } catch {
    throw invalid("cursor", "Not a cursor from this search");
  }
  if (cursor.of !== fingerprint(input))
    throw invalid("cursor", "A cursor from another search: repeat its words, filters, sort and limit");
  if (input.page !== undefined && input.page !== cursor.page)
    throw invalid("page", "Disagrees with cursor: give one of them");
  return cursor.page;
}
