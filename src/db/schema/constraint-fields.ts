import type { PgTable } from "drizzle-orm/pg-core";

/** The unique and foreign-key constraints of one table, each with the field a client is told about. */
export interface ConstraintFields {
  table: PgTable;
  fields: Readonly<Record<string, string>>;
}

/**
 * Declares, beside a table, which field each of its unique and foreign-key constraints guards
 * (`users_email_unique: "email"`), so a violation names the field instead of the constraint.
 * The field must be a column key of `table`; constraints.test.ts checks the names against the database.
 */
export function constraintFields<T extends PgTable>(
  table: T,
  fields: Record<string, keyof T["$inferSelect"] & string>,
): ConstraintFields {
  return { table, fields };
}
