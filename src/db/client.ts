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

export function connectDatabase(url: string, poolSize: number): Database {
  const sql = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 60,
    // Recycle connections so a failover or restarted server is picked up.
    max_lifetime: 60 * 30,
    connection: { application_name: "cartwright" },
  });
  const db = drizzle({ client: sql, schema });
  // Requests have drained by the time this runs; a connection wedged by an outage must not hold up exit.
  return { db, sql, close: () => sql.end({ timeout: 2 }) };
}
