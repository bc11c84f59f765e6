import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { makeProduct } from "../../../../tests/factories/products";
import { createTestApp, hasRedis, type TestApp } from "../../../../tests/harness";
import { products, variants } from "../../../db/schema";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx } from "../listing";

// A shopper never reads a stale price once the write that changed it returned (issue 14, item 7),
// also when reads race the write: the cache is the in-process store, or Redis when this run has one.

async function statementsDuring(t: TestApp, fn: () => Promise<unknown>): Promise<number> {
  let seen = 0;
  const options = t.sql.options as { debug: unknown };
  options.debug = () => seen++;
  try {
    await fn();
  } finally {
    options.debug = false;
  }
  return seen;
}

const stores: [string, boolean][] = [
  ["in-process store", false],
  ...(hasRedis ? [["Redis", true] as [string, boolean]] : []),
];

describe.each(stores)("with the %s", (_, redis) => {
  let t: TestApp;
  beforeAll(async () => {
    // The racing reads below are many requests from one address.
    t = await createTestApp({ redis, env: { API_RATE_LIMIT_PER_MINUTE: "1000000" } });
  });
  afterAll(() => t.close());

  /** What a shopper sees of this product: its card's price on a list page, and its page's variant price. */
  async function shopperPrices(slug: string, tag: string) {
    const [list, detail] = await Promise.all([
      t.rest.get(`/api/v1/products?tag=${tag}`),
      t.rest.get(`/api/v1/products/${slug}`),
    ]);
    expect([list.status, detail.status]).toEqual([200, 200]);
    return { card: list.body.items[0]?.price.min as number, variant: detail.body.variants?.[0]?.price as number };
  }

  async function setPrice(variantId: string, productId: string, price: number, during?: () => Promise<unknown>) {
    await inTransaction(t.ctx({ kind: "system", name: "test" }), async (tx) => {
      await tx.db.update(variants).set({ price }).where(eq(variants.id, variantId));
      await productsChangedInTx(tx, [productId]);
      // Reads while the write is uncommitted see (and may cache) the old price.
      await during?.();
    });
  }

  test("the first read after a price change sees the new price, on list and detail", async () => {
    const p = await makeProduct(t, { title: "Kettle", tags: ["fresh-1"], variants: [{ price: 3000 }] });
    expect(await shopperPrices(p.slug, "fresh-1")).toEqual({ card: 3000, variant: 3000 });
    // Served from the cache now: no statement at all.
    expect(await statementsDuring(t, () => shopperPrices(p.slug, "fresh-1"))).toBe(0);
    await setPrice(p.variants[0]?.id as string, p.id, 2500);
    expect(await shopperPrices(p.slug, "fresh-1")).toEqual({ card: 2500, variant: 2500 });
    expect((await t.trpc.catalog.products.get.query({ idOrSlug: p.id })).price.min).toBe(2500);
  });

  test("reads during the uncommitted write cache the old price, and the commit makes it stale", async () => {
    const p = await makeProduct(t, { title: "Toaster", tags: ["fresh-2"], variants: [{ price: 4000 }] });
    const during: { card: number; variant: number }[] = [];
    await setPrice(p.variants[0]?.id as string, p.id, 3500, async () => {
      for (let i = 0; i < 3; i++) during.push(await shopperPrices(p.slug, "fresh-2"));
    });
    expect(during.every((seen) => seen.card === 4000 && seen.variant === 4000)).toBe(true);
    expect(await shopperPrices(p.slug, "fresh-2")).toEqual({ card: 3500, variant: 3500 });
    // And the fresh value is what the cache holds now.
    expect(await statementsDuring(t, () => shopperPrices(p.slug, "fresh-2"))).toBe(0);
    expect(await shopperPrices(p.slug, "fresh-2")).toEqual({ card: 3500, variant: 3500 });
  });

  test("reads racing the whole write never leave the old price behind", async () => {
    const p = await makeProduct(t, { title: "Blender", tags: ["fresh-3"], variants: [{ price: 5000 }] });
    for (let round = 1; round <= 3; round++) {
      const price = 5000 - round * 100;
      let writing = true;
      const racing = (async () => {
        const seen: number[] = [];
        while (writing) {
          seen.push((await shopperPrices(p.slug, "fresh-3")).variant);
          // A cached read never leaves the microtask queue: let the write's socket be read.
          await Bun.sleep(0);
        }
        return seen;
      })();
      await setPrice(p.variants[0]?.id as string, p.id, price);
      writing = false;
      const seen = await racing;
      expect(seen.every((v) => v === price || v === price + 100)).toBe(true);
      expect(await shopperPrices(p.slug, "fresh-3")).toEqual({ card: price, variant: price });
    }
  });

  test("stock falling to zero shows on the page and the card; unpublishing hides the product at once", async () => {
    const p = await makeProduct(t, { title: "Grinder", tags: ["fresh-4"], variants: [{ price: 900, onHand: 2 }] });
    const variantId = p.variants[0]?.id as string;
    expect((await t.rest.get(`/api/v1/products/${p.slug}`)).body.variants[0]).toMatchObject({ available: 2 });
    expect((await t.rest.get("/api/v1/products?tag=fresh-4")).body.items[0].inStock).toBe(true);
    await inTransaction(t.ctx({ kind: "system", name: "test" }), async (tx) => {
      await tx.db.execute(sql`update inventory_levels set on_hand = 0 where variant_id = ${variantId}`);
      await productsChangedInTx(tx, [p.id], { stockOnly: true });
    });
    expect((await t.rest.get(`/api/v1/products/${p.slug}`)).body.variants[0]).toMatchObject({
      available: 0,
      inStock: false,
    });
    expect((await t.rest.get("/api/v1/products?tag=fresh-4")).body.items[0].inStock).toBe(false);

    await inTransaction(t.ctx({ kind: "system", name: "test" }), async (tx) => {
      await tx.db.update(products).set({ status: "draft" }).where(eq(products.id, p.id));
      await productsChangedInTx(tx, [p.id]);
    });
    expect((await t.rest.get(`/api/v1/products/${p.slug}`)).status).toBe(404);
    expect((await t.rest.get(`/api/v1/products/${p.id}`)).status).toBe(404);
    expect((await t.rest.get("/api/v1/products?tag=fresh-4")).body.items).toEqual([]);
  });
});
