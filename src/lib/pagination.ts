import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { AppError } from "./errors";
import { Text } from "./text";

// Cursor pagination (api.md "Conventions"): newest first over (created_at desc, id desc),
// the order of each table's list index. A cursor is the last row's keyset, opaque to clients.

// Decimal digits only: Number() would also read `0x10`, `1e1`, ` 5` and `5.0`. tRPC sends a number, which passes as it is.
const DIGITS = /^[0-9]{1,15}$/;
export const fromDigits = (v: unknown) => (typeof v === "string" && DIGITS.test(v) ? Number(v) : v);

/** `true` or `false` in a query string; tRPC sends a boolean, which passes as it is. Nothing looser. */
export const QueryFlag = z.preprocess<unknown, z.ZodBoolean, boolean>(
  (v: unknown) => (v === "true" ? true : v === "false" ? false : v),
  z.boolean({ error: () => "true or false" }),
);

/** `limit` (1-100, default 20) and `cursor`. */
export const PageQuery = z.object({
  limit: z
    // Typed as a number in, as z.coerce.number<number>() was: that is what a tRPC client sends.
    .preprocess<unknown, z.ZodNumber, number>(
      fromDigits,
      z
        .number({ error: (iss) => (iss.code === "invalid_type" ? "An integer in decimal digits" : undefined) })
        .int()
        .min(1)
        .max(100),
    )
    .default(20)
    .openapi({ description: "Items per page (1-100)", example: 20 }),
  cursor: Text.max(200)
    .optional()
    .openapi({ description: "The `nextCursor` of the previous page; leave out for the first page" }),
});
export type PageQuery = z.output<typeof PageQuery>;

/** The response of a list: one page of `item` and the cursor of the next page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last" }),
  });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * What a cursor carries. createdAt keeps Postgres' microseconds: a JS Date would round them off and skip rows.
 * Checked as strictly as pageKey writes it (UTC, six decimals, a real calendar day, year 0001 on, as Postgres
 * has no year 0), so a forged cursor is a 400 here and never a cast error in SQL.
 */
const Keyset = z.strictObject({
  createdAt: z.iso.datetime({ precision: 6 }).refine((v) => !v.startsWith("0000-")),
  id: z.uuid(),
});
type Keyset = z.infer<typeof Keyset>;

const encodeCursor = (key: Keyset): string => Buffer.from(JSON.stringify(key)).toString("base64url");

function decodeCursor(cursor: string): Keyset {
  try {
    return Keyset.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("VALIDATION_FAILED", "Invalid input: cursor", {
      errors: [{ path: "cursor", message: "Not a cursor from this list" }],
    });
  }
}

/** The columns a keyset page reads; every list table has them. */
interface Keyed {
  createdAt: PgColumn;
  id: PgColumn;
}

/** Select this as `pageKey` beside a row's fields: created_at as UTC ISO text, to the microsecond. */
export const pageKey = (table: Keyed): SQL<string> =>
  sql<string>`to_char(${table.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The rows after `cursor` (a where clause), or undefined on the first page. Throws VALIDATION_FAILED for a bad cursor. */
export function after(table: Keyed, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  return sql`(${table.createdAt}, ${table.id}) < (${key.createdAt}::timestamptz, ${key.id}::uuid)`;
}

/**
 * The list order, matching each table's `(created_at desc, id desc)` index. drizzle writes those indexes
 * `desc nulls last` and a plain `desc` means `nulls first`, which the planner cannot read off them: it
 * sorted the whole table per page. The columns are never null, so the order is the same.
 */
export const newestFirst = (table: Keyed): SQL[] => [
  sql`${table.createdAt} desc nulls last`,
  sql`${table.id} desc nulls last`,
];

/**
 * One page from rows fetched with `limit + 1`: the extra row only says that
 * another page exists, so no list ever counts its table.
 */
export function toPage<R extends { id: string; pageKey: string }, T>(
  rows: R[],
  limit: number,
  toItem: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.pageKey, id: last.id }) : null;
  return { items: items.map(toItem), nextCursor };
}
