import { describe, expect, test } from "bun:test";
import { useTestApp } from "../../../../tests/harness";
import { seedCatalog } from "../../../seed/catalog";
import { seedDemoStore } from "../../../seed/index";

// Filters that match few products, or match them late in the sort's order (a low maxPrice by title, a
// high minPrice by price): the plans Postgres picks for those differ from a dense filter's, and each
// such page is checked against the same question asked of SQL, on a catalog of 3,000 products.

const t = await useTestApp();
const ctx = t.ctx({ kind: "system", name: "seed" });
await seedDemoStore(ctx, () => {});
await seedCatalog(ctx, { products: 3000 }, () => {});

const ORDER = {
  newest: "p.created_at desc, p.id desc",
  price_asc: "p.min_price asc, p.id asc",
  price_desc: "p.min_price desc, p.id desc",
  title: "p.title asc, p.id asc",
} as const;

/** The first `n` ids SQL gives for "some variant priced within the bounds", in the sort's order. */
async function expected(sort: keyof typeof ORDER, where: string, n: number): Promise<string[]> {
  const rows = await t.sql.unsafe(
    `select p.id from products p where p.status = 'active' and ${where} order by ${ORDER[sort]} limit ${n}`,
  );
  return rows.map((r) => r.id);
}

async function walk(query: string, pages: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < pages; i++) {
    const res = await t.rest.get(`/api/v1/products?limit=20&${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((p: { id: string }) => p.id));
    cursor = res.body.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

describe("sparse filters on a catalog of 3,000 products", () => {
  test("a low maxPrice sorted by title, a high minPrice sorted by price, both ways: exactly SQL's answer", async () => {
    const [bounds] = await t.sql<{ low: number; high: number }[]>`
      select percentile_disc(0.01) within group (order by min_price) as low,
             percentile_disc(0.99) within group (order by max_price) as high
      from products where status = 'active'`;
    const { low, high } = bounds ?? { low: 0, high: 0 };
    const cases: [string, keyof typeof ORDER, string][] = [
      [
        `sort=title&maxPrice=${low}`,
        "title",
        `exists (select 1 from variants v where v.product_id = p.id and v.price <= ${low})`,
      ],
      [
        `sort=newest&maxPrice=${low}`,
        "newest",
        `exists (select 1 from variants v where v.product_id = p.id and v.price <= ${low})`,
      ],
      [
        `sort=price_asc&minPrice=${high}`,
        "price_asc",
        `exists (select 1 from variants v where v.product_id = p.id and v.price >= ${high})`,
      ],
      [
        `sort=price_desc&maxPrice=${low}`,
        "price_desc",
        `exists (select 1 from variants v where v.product_id = p.id and v.price <= ${low})`,
      ],
    ];
    for (const [query, sort, where] of cases) {
      const want = await expected(sort, where, 40);
      expect(want.length).toBeGreaterThan(0);
      expect(await walk(query, 2)).toEqual(want);
    }
  });

  test("a filter nothing matches answers an empty last page", async () => {
    const [cheapest] = await t.sql`select min(min_price) - 1 as low from products`;
    const res = await t.rest.get(`/api/v1/products?limit=20&sort=title&maxPrice=${Math.max(0, cheapest?.low ?? 0)}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });
});
