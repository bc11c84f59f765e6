import { type Placeholder, type Query, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Db } from "./client";

const dialect = new PgDialect();

/** A statement's values by name, as `statement` receives them. */
export type Values<K extends string> = Record<K, unknown>;

/**
 * A hand-written statement whose SQL text is built once, the first time it runs, with a
 * placeholder for each named value; every call after sends that text with its values.
 * drizzle builds a `sql` template anew on every `db.execute`, walking each fragment and
 * parameter: for the large statements of the hottest paths (adding to a cart, a checkout's
 * cart read) that walk cost more of the app's time than sending and decoding them.
 * The result is what `db.execute` answers (rows keyed by column name); `db` may be a
 * transaction. The template must not vary with its values: give them as placeholders.
 */
export function statement<const K extends string, R extends Record<string, unknown> = Record<string, unknown>>(
  names: readonly K[],
  build: (value: Record<K, Placeholder<K>>) => SQL,
): (db: Db, values: Values<K>) => Promise<R[]> {
  let compiled: Query | undefined;
  return (db, values) => {
    compiled ??= dialect.sqlToQuery(build(Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as never));
    return db._.session
      .prepareQuery<{ execute: R[]; all: unknown; values: unknown }>(compiled, undefined, undefined, false)
      .execute(values);
  };
}
