import { afterAll, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { useTestApp } from "../../tests/harness";
import { newId } from "../lib/ids";
import { byKey, connectDatabase, PREPARED, postgresTarget } from "./client";
import { carts } from "./schema";
import { compiled, statement } from "./statement";

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

test("byKey marks a query builder's condition: that statement is prepared, an unmarked one is not", async () => {
  await database.db
    .select({ id: carts.id })
    .from(carts)
    .where(byKey(eq(carts.id, newId())));
  await database.db.select({ status: carts.status }).from(carts).where(eq(carts.id, newId()));
  const texts = await preparedTexts();
  expect(texts.some((s) => s.includes('select "id" from "carts" where /* prepared */'))).toBe(true);
  expect(texts.some((s) => s.includes('select "status" from "carts"'))).toBe(false);
});

test("statement() sends the text it built once, with each call's values, in and out of a transaction", async () => {
  let builds = 0;
  const sum = statement<"a" | "b", { total: number }>(["a", "b"], (p) => {
    builds++;
    return sql`${PREPARED}select ${p.a}::int + ${p.b}::int as total, ${p.a}::int * 10 as tenfold`;
  });
  expect(await sum(database.db, { a: 2, b: 3 })).toMatchObject([{ total: 5, tenfold: 20 }]);
  const inTx = await database.db.transaction((tx) => sum(tx, { a: 40, b: 2 }));
  expect(inTx).toMatchObject([{ total: 42, tenfold: 400 }]);
  expect(builds).toBe(1);
  expect((await preparedTexts()).filter((s) => s.includes("as tenfold"))).toHaveLength(1);
});

test("postgresTarget turns a URL's ?host=/dir into postgres.js's socket path, and leaves TCP URLs alone", () => {
  expect(postgresTarget("postgres://u:p@127.0.0.1:5544/db?host=%2Fvar%2Frun%2Fpg&sslmode=disable")).toEqual({
    url: "postgres://u:p@127.0.0.1:5544/db?sslmode=disable",
    path: "/var/run/pg/.s.PGSQL.5544",
  });
  expect(postgresTarget("postgres://u:p@db.example:5432/db")).toEqual({ url: "postgres://u:p@db.example:5432/db" });
});

test("compiled() runs a builder's query built once, its rows mapped as the builder maps them, in a transaction too", async () => {
  let builds = 0;
  const byId = compiled(["id"], (db, p) => {
    builds++;
    return db.select().from(carts).where(eq(carts.id, p.id));
  });
  const id = newId();
  await database.db.insert(carts).values({ id, currency: "USD", tokenHash: "compiled-test" });
  const direct = await database.db.select().from(carts).where(eq(carts.id, id));
  expect(await byId(database.db, { id })).toEqual(direct);
  expect(direct[0]?.createdAt).toBeInstanceOf(Date);
  const inTx = await database.db.transaction(async (tx) => {
    await tx.update(carts).set({ country: "FR" }).where(eq(carts.id, id));
    return byId(tx, { id });
  });
  expect(inTx[0]?.country).toBe("FR");
  expect(await byId(database.db, { id: newId() })).toEqual([]);
  expect(builds).toBe(1);
});

test("only Graphile's add_job asks for generic plans; the app's own statements keep Postgres' choice", async () => {
  const [fn] = await database.sql`
    select p.proconfig from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'graphile_worker' and p.proname = 'add_job'`;
  expect(fn?.proconfig).toEqual(["plan_cache_mode=force_generic_plan"]);
  const [session] = await database.sql`select current_setting('plan_cache_mode') as mode`;
  expect(session?.mode).toBe("auto");
});
