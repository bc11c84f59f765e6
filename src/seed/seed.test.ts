import { describe, expect, test } from "bun:test";
import { type TestApp, useTestApp } from "../../tests/harness";
import { seedCatalog } from "./catalog";
import { DEMO_COLLECTIONS } from "./collections";
import { seedDemoStore } from "./index";

// Two fresh databases: the demo seed in each must give the same catalog.
const a = await useTestApp();
const b = await useTestApp();
const seedCtx = (t: TestApp) => t.ctx({ kind: "system", name: "seed" });
const noProgress = () => {};

/** A hash of what must not vary between runs: slugs, SKUs, prices, compare-at prices and stock. */
async function fingerprint(t: TestApp, upTo = 999_999): Promise<string> {
  const [row] = await t.sql<{ hash: string; n: number }[]>`
    select md5(string_agg(concat_ws(':', p.slug, p.status, v.sku, v.price, v.compare_at_price, l.on_hand,
                                    l.low_stock_threshold, v.options::text), ',' order by v.sku)) as hash,
           count(*)::int as n
    from products p join variants v on v.product_id = p.id join inventory_levels l on l.variant_id = v.id
    where substring(v.sku from 4 for 6)::int <= ${upTo}`;
  return `${row?.n}:${row?.hash}`;
}

/** Every catalog invariant the seed promises, as counts of the rows that break it (all must be 0). */
async function brokenInvariants(t: TestApp) {
  const [row] = await t.sql`
    with v as (
      select v.product_id, count(*) as n, min(v.price) as min_price, max(v.price) as max_price,
             bool_or(l.on_hand > l.reserved) as in_stock
      from variants v join inventory_levels l on l.variant_id = v.id group by v.product_id
    )
    select
      (select count(*) from products p left join v on v.product_id = p.id
        where coalesce(v.n, 0) not between 1 and 6)::int as variant_count_out_of_range,
      (select count(*) from products p join v on v.product_id = p.id
        where p.min_price <> v.min_price or p.max_price <> v.max_price or p.variant_count <> v.n
           or p.in_stock <> v.in_stock)::int as listing_differs,
      (select count(*) from products p
        where p.image_url is distinct from (select url from product_images i where i.product_id = p.id
                                            order by position limit 1))::int as card_image_differs,
      (select count(*) from inventory_levels l
        where l.on_hand <> (select coalesce(sum(e.on_hand_delta), 0) from inventory_ledger e
                            where e.variant_id = l.variant_id)
           or l.reserved <> (select coalesce(sum(e.reserved_delta), 0) from inventory_ledger e
                             where e.variant_id = l.variant_id))::int as ledger_differs,
      (select count(*) from variants v left join inventory_levels l on l.variant_id = v.id
        where l.variant_id is null)::int as variants_without_stock,
      -- Each variant names exactly its product's options, with one of each option's values.
      (select count(*) from variants v
        where (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(v.options) k)
              <> (select coalesce(array_agg(o.name order by o.name), '{}') from product_options o
                  where o.product_id = v.product_id)
           or exists (select 1 from jsonb_each_text(v.options) e join product_options o
                        on o.product_id = v.product_id and o.name = e.key
                      where not e.value = any(o.values)))::int as options_differ,
      (select count(*) from products p where not exists (
        select 1 from product_changes c where c.product_id = p.id))::int as not_queued_for_search`;
  return row;
}

const VARIETY = [
  "products",
  "draft",
  "archived",
  "out_of_stock",
  "low",
  "on_sale",
  "tagged",
  "with_metadata",
  "single_variant",
  "six_variants",
  "categories",
  "collections",
  "empty_collections",
  "variants",
] as const;

async function variety(t: TestApp): Promise<Record<(typeof VARIETY)[number], number>> {
  const [row] = await t.sql<Record<(typeof VARIETY)[number], number>[]>`
    select
      (select count(*) from products)::int as products,
      (select count(*) from products where status = 'draft')::int as draft,
      (select count(*) from products where status = 'archived')::int as archived,
      (select count(*) from products where status = 'active' and not in_stock)::int as out_of_stock,
      (select count(*) from inventory_levels where on_hand - reserved between 1 and low_stock_threshold)::int as low,
      (select count(*) from products where compare_at_price > min_price)::int as on_sale,
      (select count(*) from products where cardinality(tags) > 0)::int as tagged,
      (select count(*) from products where metadata <> '{}')::int as with_metadata,
      (select count(*) from products where variant_count = 1)::int as single_variant,
      (select count(*) from products where variant_count = 6)::int as six_variants,
      (select count(distinct category_id) from products)::int as categories,
      (select count(*) from collections)::int as collections,
      (select count(*) from collections c where not exists (
        select 1 from collection_products m where m.collection_id = c.id))::int as empty_collections,
      (select count(*) from variants)::int as variants`;
  if (!row) throw new Error("no row");
  return row;
}

const steps: [string, number, number][] = [];
const first = await seedDemoStore(seedCtx(a), (...step) => steps.push(step));

describe("seedDemoStore", () => {
  test("creates 1,000 products with drafts, archived, sold-out, low-stock, sale, tagged and multi-variant ones", async () => {
    const v = await variety(a);
    expect(v.products).toBe(1000);
    const kinds = [
      "draft",
      "archived",
      "out_of_stock",
      "low",
      "on_sale",
      "tagged",
      "single_variant",
      "six_variants",
    ] as const;
    expect(kinds.filter((kind) => !(v[kind] > 0))).toEqual([]);
    expect(v.with_metadata).toBe(1000);
    expect(v.categories).toBe(14);
    expect(v.collections).toBe(DEMO_COLLECTIONS.length);
    expect(v.empty_collections).toBe(0);
    // Realistic shares, not just "some": a few percent drafts, about 5% sold out, about 4 variants each.
    expect(v.draft).toBeLessThan(60);
    expect(v.out_of_stock).toBeGreaterThan(20);
    expect(v.out_of_stock).toBeLessThan(120);
    expect(v.variants / v.products).toBeGreaterThan(3.5);
    expect(v.variants / v.products).toBeLessThan(4.5);
  });

  test("keeps every invariant: 1-6 variants, listing from the variants, ledger sums to the level", async () => {
    expect(await brokenInvariants(a)).toEqual({
      variant_count_out_of_range: 0,
      listing_differs: 0,
      card_image_differs: 0,
      ledger_differs: 0,
      variants_without_stock: 0,
      options_differ: 0,
      not_queued_for_search: 0,
    });
  });

  test("seeds the demo customers' orders in every state, with their payments, parcels, refunds and events", async () => {
    const states = await a.sql`select status, count(*)::int as n from orders group by status order by status`;
    expect(states.map((r) => `${r.status}:${r.n}`)).toEqual([
      "cancelled:1",
      "delivered:1",
      "fulfilled:1",
      "paid:1",
      "partially_refunded:1",
      "pending_payment:1",
    ]);
    const [facts] = await a.sql`select
      (select count(*) from payments where status = 'succeeded')::int as paid,
      (select count(*) from fulfillments)::int as parcels,
      (select count(*) from refunds where status = 'succeeded')::int as refunds,
      (select count(*) from orders where promotions @> '[{"code":"SAVE10"}]')::int as with_code,
      (select count(distinct order_id) from order_events)::int as with_events`;
    expect(facts).toEqual({ paid: 4, parcels: 2, refunds: 1, with_code: 1, with_events: 6 });
  });

  test("reports progress up to the total of each step", () => {
    const last = (name: string) => steps.filter(([step]) => step === name).at(-1);
    expect(last("products")).toEqual(["products", 1000, 1000]);
    expect(last("promotions")).toEqual(["promotions", 3, 3]);
    expect(last("orders")).toEqual(["orders", 6, 6]);
    expect(steps.at(-1)?.[0]).toBe("orders");
    expect(steps.filter(([step]) => step === "products").length).toBeGreaterThan(2);
    expect(first.created).toBeGreaterThan(1000);
  });

  test("is deterministic: a second database gets the same slugs, SKUs, prices and stock", async () => {
    await seedDemoStore(seedCtx(b), noProgress);
    expect(await fingerprint(b)).toBe(await fingerprint(a));
  });

  test("is idempotent: running it again creates nothing and changes nothing", async () => {
    const before = await fingerprint(a);
    const [ledger] = await a.sql`select count(*)::int as n from inventory_ledger`;
    expect(await seedDemoStore(seedCtx(a), noProgress)).toEqual({ created: 0 });
    expect(await fingerprint(a)).toBe(before);
    const [after] = await a.sql`select count(*)::int as n from inventory_ledger`;
    expect(after).toEqual(ledger as object);
  });
});

describe("seedCatalog --products N (the bulk path)", () => {
  test("grows the demo catalog to 2,000 with the same invariants, leaving the first 1,000 as they were", async () => {
    const demo = await fingerprint(b);
    expect(await seedCatalog(seedCtx(b), { products: 2000 }, noProgress)).toEqual({ created: 1000 });
    expect(await fingerprint(b, 1000)).toBe(demo);
    const v = await variety(b);
    expect(v.products).toBe(2000);
    expect(v.draft).toBeGreaterThan(0);
    expect(v.out_of_stock).toBeGreaterThan(0);
    const broken = await brokenInvariants(b);
    expect(Object.entries(broken ?? {}).filter(([, n]) => n !== 0)).toEqual([]);
  });
});
