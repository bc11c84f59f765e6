import { afterAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { useTestApp } from "../../tests/harness";
import { connectDatabase, PREPARED } from "./client";

const t = await useTestApp();
// One connection: every statement below runs on the session whose prepared statements are read.
const database = connectDatabase(t.databaseUrl, 1);
afterAll(() => database.close());

const preparedTexts = async () =>
  (await database.db.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`)).map(
    (r) => r.statement,
  );

test("a statement marked PREPARED is prepared on its connection, in a transaction too; others are planned per call", async () => {
  await database.db.execute(sql`${PREPARED}select 1 + ${1} as marked_lookup`);
  await database.db.transaction((tx) => tx.execute(sql`${PREPARED}select 2 + ${2} as marked_in_tx`));
  await database.db.execute(sql`select 3 + ${3} as filter_query`);
  const texts = await preparedTexts();
  expect(texts.some((s) => s.includes("marked_lookup"))).toBe(true);
  expect(texts.some((s) => s.includes("marked_in_tx"))).toBe(true);
  expect(texts.some((s) => s.includes("filter_query"))).toBe(false);
});
