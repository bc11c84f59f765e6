import { createHash } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { AppError } from "../../lib/errors";
import { Text } from "../../lib/text";
import type { ProductSort } from "./storefront-schemas";

// Keyset cursors of the storefront lists. A cursor carries the last row's sort key and id, and for
// products the sort and a digest of the filters: a cursor only continues the list it came from, and
// anything else is a 400, checked as strictly as it was written, so nothing forged reaches SQL.

const MAX_INT = 2_147_483_647;

/** created_at as pagination.ts writes it: UTC, to the microsecond (a JS Date would round it and skip rows). */
const Microseconds = z.iso.datetime({ precision: 6 }).refine((v) => !v.startsWith("0000-"));
const Title = Text.max(2000);
const Price = z.number().int().min(0).max(MAX_INT);

const productKeys = {
  newest: Microseconds,
  price_asc: Price,
  price_desc: Price,
  title: Title,
} satisfies Record<ProductSort, z.ZodType>;

export type ProductSortKey = string | number;

const ProductCursor = z.strictObject({
  s: z.enum(["newest", "price_asc", "price_desc", "title"]),
  f: z.string().length(22),
  k: z.union([z.string(), z.number()]),
  i: z.uuid(),
});

const CollectionCursor = z.strictObject({ p: z.number().int().min(-MAX_INT).max(MAX_INT), t: Title, i: z.uuid() });
export type CollectionKey = z.infer<typeof CollectionCursor>;

const encode = (payload: object): string => Buffer.from(JSON.stringify(payload)).toString("base64url");

function invalid(message = "Not a cursor from this list"): AppError {
  return new AppError("VALIDATION_FAILED", "Invalid input: cursor", { errors: [{ path: "cursor", message }] });
}

function decode<T>(schema: z.ZodType<T>, cursor: string): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw invalid();
  }
}

/** A short digest of a list's canonical filters: a cursor names its list without repeating it. */
export const filterDigest = (canonicalFilters: string): string =>
  createHash("sha256").update(canonicalFilters).digest("base64url").slice(0, 22);

export const encodeProductCursor = (sort: ProductSort, digest: string, key: ProductSortKey, id: string): string =>
  encode({ s: sort, f: digest, k: key, i: id });

/** The last row of the previous page; VALIDATION_FAILED unless the cursor came from this sort and these filters. */
export function decodeProductCursor(
  cursor: string,
  sort: ProductSort,
  digest: string,
): { key: ProductSortKey; id: string } {
  const parsed = decode(ProductCursor, cursor);
  if (parsed.s !== sort) throw invalid(`A cursor of sort ${parsed.s}: start again without it`);
  if (parsed.f !== digest) throw invalid("A cursor of other filters: start again without it");
  const key = productKeys[sort].safeParse(parsed.k);
  if (!key.success) throw invalid();
  return { key: key.data, id: parsed.i };
}

export const encodeCollectionCursor = (key: CollectionKey): string => encode(key);
export const decodeCollectionCursor = (cursor: string): CollectionKey => decode(CollectionCursor, cursor);
