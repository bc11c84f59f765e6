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
    compiled ??= dialect.sqlToQuery(build(placeholders(names)));
    return db._.session
      .prepareQuery<{ execute: R[]; all: unknown; values: unknown }>(compiled, undefined, undefined, false)
      .execute(values);
  };
}

/** What drizzle's postgres.js prepared query holds (its fields are not in its types): all a run needs. */
interface PreparedParts {
  queryString: string;
  params: unknown[];
  fields: unknown;
  _isResponseInArrayMode: boolean;
  customResultMapper?: unknown;
  joinsNotNullableMap?: unknown;
}

type Prepared = { execute(values?: Record<string, unknown>): Promise<unknown> };

/**
 * `statement` for a query builder's lookup or write by key: built once with placeholders, its
 * text, parameters and row mapping kept, then run on each call's `db` (a transaction too),
 * prepared, its rows mapped as the builder maps them. Building a wide insert or select costs
 * drizzle 20-90 µs a call; this costs none after the first. The query must not vary with its values.
 */
export function compiled<const K extends string, Q extends { prepare(name: string): Prepared }>(
  names: readonly K[],
  build: (db: Db, value: Record<K, Placeholder<K>>) => Q,
): (db: Db, values: Values<K>) => ReturnType<ReturnType<Q["prepare"]>["execute"]> {
  let parts: PreparedParts | undefined;
  return (db, values) => {
    parts ??= build(db, placeholders(names)).prepare("compiled") as unknown as PreparedParts;
    const query = db._.session.prepareQuery(
      { sql: parts.queryString, params: parts.params },
      parts.fields as never,
      "compiled",
      parts._isResponseInArrayMode,
      parts.customResultMapper as never,
    );
    (query as unknown as PreparedParts).joinsNotNullableMap = parts.joinsNotNullableMap;
    return query.execute(values) as ReturnType<ReturnType<Q["prepare"]>["execute"]>;
  };
}

const placeholders = <K extends string>(names: readonly K[]) =>
  Object.fromEntries(names.map((n) => [n, sql.placeholder(n)])) as Record<K, Placeholder<K>>;

/**
 * For the rest of the transaction `db` is in, generic plans for every statement: for a transaction
 * of lookups and writes by key only (a checkout). Postgres would otherwise plan its statements over
 * arrays (`= any($1)`, `unnest`) again at every call, a generic plan looking costlier to it.
 * Never for a transaction that filters or searches: their best plan depends on their values.
 */
export const genericPlansInTx = (db: Db) => db.execute(sql`set local plan_cache_mode = force_generic_plan`);
