import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database handle or an open transaction: services accept either. */
export type Db = PgDatabase<PostgresJsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

/** Statements with more parameters than this stay unprepared: their text varies with their size (bulk writes). */
const MAX_PREPARED_PARAMS = 100;

/**
 * The client with every statement prepared (parsed and planned once per connection), as
 * postgres.js does for its own tagged queries: drizzle prepares only queries given a name, and
 * planning was most of a product page's database time (0.9 ms against 0.26 ms prepared).
 * Transactions and savepoints hand out their own clients, which get the same.
 */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], opts?: { prepare?: boolean }) =>
          target.unsafe(query, params as never, {
            ...opts,
            prepare: (params?.length ?? 0) <= MAX_PREPARED_PARAMS,
          });
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const fn = args.at(-1) as (tx: postgres.Sql) => unknown;
          const open = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
          return open.call(target, ...args.slice(0, -1), (tx: postgres.Sql) => fn(preparing(tx)));
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export interface ConnectOptions {
  /** Prepare statements (default); migrations, whose files hold many statements each, do not. */
  prepare?: boolean;
}

export function connectDatabase(url: string, poolSize: number, opts: ConnectOptions = {}): Database {
  const sql = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 60,
    // Recycle connections so a failover or restarted server is picked up.
    max_lifetime: 60 * 30,
    connection: { application_name: "cartwright" },
  });
  const db = drizzle({ client: opts.prepare === false ? sql : preparing(sql), schema });
  // Requests have drained by the time this runs; a connection wedged by an outage must not hold up exit.
  return { db, sql, close: () => sql.end({ timeout: 2 }) };
}
