import { describe, expect, test } from "bun:test";
import type postgres from "postgres";
import { useTestApp } from "../../tests/harness";
import { clientError } from "./errors";

const t = await useTestApp();

/** The Postgres error a query fails with. */
async function failure(query: (sql: postgres.Sql) => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await query(t.sql);
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected the query to fail");
}

// Each data exception (SQLSTATE class 22) a client's value could cause, provoked for real.
const DATA_EXCEPTIONS: [code: string, name: string, query: (sql: postgres.Sql) => Promise<unknown>][] = [
  ["22P02", "invalid_text_representation", (sql) => sql`select ${"twelve"}::int`],
  ["22003", "numeric_value_out_of_range", (sql) => sql`select ${"99999999999"}::int4`],
  ["22008", "datetime_field_overflow", (sql) => sql`select ${"0000-01-01T00:00:00Z"}::timestamptz`],
  ["22007", "invalid_datetime_format", (sql) => sql`select ${"next tuesday-ish"}::timestamptz`],
  ["22021", "character_not_in_repertoire", (sql) => sql`select ${"Nul\u0000Name"}::text`],
  ["22P05", "untranslatable_character", (sql) => sql`select convert_to(${"€"}, 'LATIN1')`],
  [
    "22001",
    "string_data_right_truncation",
    (sql) =>
      sql.begin(async (tx) => {
        await tx`create temp table short_text (v varchar(3)) on commit drop`;
        await tx`insert into short_text values (${"too long"})`;
      }),
  ],
  ["22012", "division_by_zero", (sql) => sql`select 1 / ${0}::int`],
  ["2201W", "invalid_row_count_in_limit_clause", (sql) => sql`select 1 limit ${-1}::int`],
  ["2201X", "invalid_row_count_in_result_offset_clause", (sql) => sql`select 1 offset ${-1}::int`],
  ["22023", "invalid_parameter_value", (sql) => sql`select generate_series(1, 10, ${0}::int)`],
  ["22025", "invalid_escape_sequence", (sql) => sql`select 'xy' like ${"x\\"}`],
  ["2201B", "invalid_regular_expression", (sql) => sql`select 'x' ~ ${"("}`],
];

describe("a Postgres data exception (class 22) is the client's 400, not a 500", () => {
  for (const [code, name, query] of DATA_EXCEPTIONS) {
    test(`${code} ${name} is VALIDATION_FAILED with a message that quotes no SQL or value`, async () => {
      const err = await failure(query);
      expect(err.code).toBe(code);
      const answer = clientError(err);
      expect(answer).toMatchObject({ code: "VALIDATION_FAILED", unexpected: false });
      expect(answer.message).toBe("Invalid input: a value is malformed or out of range");
      expect(answer.message).not.toContain(err.message);
    });
  }
});
