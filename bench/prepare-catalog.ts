import { parseArgs } from "node:util";
import { type SQL, sql } from "drizzle-orm";
import { runCommand } from "../src/boot";
import { seedDemoStore } from "../src/seed";
import { progressBar } from "../src/seed/progress-bar";

// Run by bench/run.ts before it starts the server, on the same database: seeds
// the demo store with --products N through the bulk path (adding only what is
// missing), then writes what the catalog targets' request generators draw from
// (real category, collection and option values, active slugs, title words,
// the price range) to --out as JSON.

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { products: { type: "string" }, out: { type: "string" } },
  strict: true,
});
const products = Number(values.products);
if (!Number.isInteger(products) || products < 0 || !values.out) {
  console.error("usage: bun bench/prepare-catalog.ts --products N --out file.json");
  process.exit(2);
}
const out = values.out;

/** Up to this many slugs and title words: enough that random picks rarely repeat within a run. */
const SAMPLE = 20_000;

export interface CatalogSample {
  products: number;
  variants: number;
  seeded: { created: number; seconds: number };
  categoryIds: string[];
  collectionIds: string[];
  tags: string[];
  /** Option name (lower case) and value, as the list filter `option.<name>=<value>` takes them. */
  options: [string, string][];
  prices: { min: number; max: number };
  slugs: string[];
  words: string[];
}

await runCommand("preparing the bench catalog", "", { migrate: true }, async (_deps, ctx) => {
  const started = performance.now();
  const bar = progressBar();
  const { created } = await seedDemoStore(ctx, bar, { products });
  bar.end();
  const seconds = (performance.now() - started) / 1000;
  const q = <T extends Record<string, unknown>>(query: SQL) => ctx.db.execute<T>(query);
  const [count] = await q<{ products: number; variants: number }>(
    sql`select (select count(*)::int from products) as products, (select count(*)::int from variants) as variants`,
  );
  const [prices] = await q<{ min: number; max: number }>(
    sql`select min(min_price)::int as min, max(max_price)::int as max from products where status = 'active'`,
  );
  const sample: CatalogSample = {
    products: count?.products ?? 0,
    variants: count?.variants ?? 0,
    seeded: { created, seconds },
    categoryIds: (await q<{ id: string }>(sql`select id from categories order by id`)).map((r) => r.id),
    collectionIds: (await q<{ id: string }>(sql`select id from collections order by position, id`)).map((r) => r.id),
    tags: (await q<{ tag: string }>(sql`select distinct unnest(tags) as tag from products order by 1`)).map(
      (r) => r.tag,
    ),
    options: (
      await q<{ name: string; value: string }>(sql`
        select distinct lower(o.name) as name, v.value from product_options o, unnest(o.values) v(value) order by 1, 2`)
    ).map((r) => [r.name, r.value]),
    prices: prices ?? { min: 0, max: 0 },
    slugs: (
      await q<{ slug: string }>(
        sql`select slug from products where status = 'active' order by md5(slug) limit ${SAMPLE}`,
      )
    ).map((r) => r.slug),
    words: (
      await q<{ word: string }>(sql`
        select distinct w as word from (select regexp_split_to_table(lower(title), '[^a-z]+') as w from products
                                        where status = 'active' limit ${SAMPLE}) t
        where length(w) >= 4 order by 1`)
    ).map((r) => r.word),
  };
  await Bun.write(out, JSON.stringify(sample));
  console.warn(
    `bench catalog: ${sample.products.toLocaleString("en-US")} products (${created.toLocaleString("en-US")} created in ${seconds.toFixed(1)} s)`,
  );
});
