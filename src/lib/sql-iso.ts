import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/** A timestamptz as the API's ISO 8601 UTC text, computed in SQL for rows built as JSON there. */
export const isoText = (column: SQLWrapper): SQL<string> =>
  sql<string>`to_char((${column}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
