import { describe, expect, test } from "bun:test";
import { getTableColumns, getTableName } from "drizzle-orm";
import { useTestApp } from "../../../tests/harness";
import { CONSTRAINT_MAPS } from "./constraints";

const t = await useTestApp();

// Every unique and foreign-key constraint, and every unique index that is no constraint (partial ones),
// of our tables in the migrated schema (graphile_worker keeps its own), with the columns it is about:
// an index's key and predicate, a constraint's own columns (not those it references).
const inDatabase = await t.sql<{ name: string; table: string; about: string }[]>`
  select c.conname as name, r.relname as "table", split_part(pg_get_constraintdef(c.oid), ' REFERENCES ', 1) as about
  from pg_constraint c join pg_class r on r.oid = c.conrelid join pg_namespace n on n.oid = r.relnamespace
  where n.nspname = 'public' and c.contype in ('u', 'f')
  union all
  select i.relname, r.relname, split_part(pg_get_indexdef(x.indexrelid), ' USING ', 2)
  from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class r on r.oid = x.indrelid
  join pg_namespace n on n.oid = r.relnamespace
  where n.nspname = 'public' and x.indisunique and not x.indisprimary
    and x.indexrelid not in (select conindid from pg_constraint where contype = 'u')
  order by 1`;

const declared = CONSTRAINT_MAPS.flatMap(({ table, fields }) =>
  Object.entries(fields).map(([name, field]) => ({ name, field, table })),
);

describe("the constraint map (db/schema/constraints.ts)", () => {
  test("the migrated schema has unique and foreign-key constraints to check", () => {
    expect(inDatabase.map((c) => c.name)).toContain("users_email_unique");
    expect(inDatabase.map((c) => c.name)).toContain("sessions_user_id_users_id_fk");
  });

  test("names a field for every unique and foreign-key constraint in the database", () => {
    const mapped = new Set(declared.map((d) => d.name));
    expect(inDatabase.filter((c) => !mapped.has(c.name)).map((c) => `${c.table}.${c.name}`)).toEqual([]);
  });

  test("declares each constraint once, beside the table it belongs to", () => {
    expect(new Set(declared.map((d) => d.name)).size).toBe(declared.length);
    const tableOf = new Map(inDatabase.map((c) => [c.name, c.table]));
    const misplaced = declared.filter((d) => tableOf.get(d.name) !== getTableName(d.table));
    expect(misplaced.map((d) => `${getTableName(d.table)}.${d.name}`)).toEqual([]);
  });

  test("maps each constraint to a column of its table that it is about, named as clients see it (camelCase)", () => {
    const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const about = new Map(inDatabase.map((c) => [c.name, c.about]));
    const wrong = declared.filter(({ name, table, field }) => {
      const column = getTableColumns(table)[field];
      if (!column || camel(column.name) !== field) return true;
      return !new RegExp(`\\b${column.name}\\b`).test(about.get(name) ?? "");
    });
    expect(wrong.map((d) => `${getTableName(d.table)}.${d.name}: ${d.field}`)).toEqual([]);
  });
});
