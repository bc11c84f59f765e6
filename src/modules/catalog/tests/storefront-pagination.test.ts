import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { productsChangedInTx } from "../listing";
import { PRODUCT_SORTS } from "../storefront-schemas";
import { expectedIds, type Filters, type ModelProduct, walkRest, walkTrpc } from "./storefront-model";

// The pagination invariant: for any catalog and any limit, walking a list's pages meets exactly
// the products its filters select, in its sort's order, each once. Few distinct titles, prices and
// times, so ties in every sort key are the rule rather than the exception.

const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "1000000" } });

const TIMES = [new Date("2026-03-01T00:00:00.000Z"), new Date("2026-03-02T00:00:00.000Z")];

interface ProductSpec {
  title: string;
  createdAt: Date;
  variants: { price: number; onHand: number; size: string }[];
  status: ModelProduct["status"];
}

const productArb: fc.Arbitrary<ProductSpec> = fc.record({
  title: fc.constantFrom("Anchor", "Buoy", "Compass"),
  createdAt: fc.constantFrom(...TIMES),
  variants: fc.array(
    fc.record({
      price: fc.constantFrom(100, 200, 300),
      onHand: fc.constantFrom(0, 4),
      size: fc.constantFrom("S", "M"),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  status: fc.constantFrom<ModelProduct["status"]>("active", "active", "active", "draft"),
});

const filtersArb = fc.record(
  {
    minPrice: fc.constantFrom(100, 200),
    maxPrice: fc.constantFrom(200, 300),
    inStock: fc.boolean(),
    options: fc.constantFrom<Record<string, string>>({ size: "s" }, { SIZE: "M" }),
  },
  { requiredKeys: [] },
);

let runs = 0;

/** The products in a few statements, tagged for this run alone, then their listings. */
async function insertCatalog(fixture: ProductSpec[]): Promise<{ tag: string; model: ModelProduct[] }> {
  const tag = `run-${++runs}`;
  const model: ModelProduct[] = fixture.map((p) => ({
    id: newId(),
    title: p.title,
    status: p.status,
    createdAt: p.createdAt,
    categoryPath: [],
    collectionIds: [],
    tags: [tag],
    // One variant per size: a product's option combinations are unique.
    variants: [...new Map(p.variants.map((v) => [v.size, v])).values()].map((v) => ({
      price: v.price,
      onHand: v.onHand,
      options: { Size: v.size },
    })),
  }));
  const products = model.map((p) => ({
    id: p.id,
    slug: `${tag}-${p.id}`,
    title: p.title,
    status: p.status,
    tags: `{${tag}}`,
    created_at: p.createdAt.toISOString(),
  }));
  const variants = model.flatMap((p) =>
    p.variants.map((v) => ({
      id: newId(),
      product_id: p.id,
      sku: `${tag}-${newId()}`,
      title: v.options.Size,
      price: v.price,
      options: JSON.stringify(v.options),
      on_hand: v.onHand,
    })),
  );
  if (model.length === 0) return { tag, model };
  await t.sql`insert into products ${t.sql(products)}`;
  await t.sql`insert into variants ${t.sql(variants.map(({ on_hand: _, ...v }) => v))}`;
  await t.sql`insert into inventory_levels ${t.sql(variants.map((v) => ({ variant_id: v.id, on_hand: v.on_hand })))}`;
  await inTransaction(t.ctx({ kind: "system", name: "test" }), (tx) =>
    productsChangedInTx(
      tx,
      model.map((p) => p.id),
    ),
  );
  return { tag, model };
}

describe("pagination (property)", () => {
  test("walking the pages of any list yields exactly its filtered, sorted products, once each", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(productArb, { minLength: 0, maxLength: 8 }),
        filtersArb,
        fc.constantFrom(...PRODUCT_SORTS),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (fixture, someFilters, sort, limit, overTrpc) => {
          const { tag, model } = await insertCatalog(fixture);
          const filters: Filters = { ...someFilters, tag };
          if ((filters.minPrice ?? 0) > (filters.maxPrice ?? Number.MAX_SAFE_INTEGER)) delete filters.maxPrice;
          const walked = overTrpc
            ? await walkTrpc(t.trpc, filters, sort, limit)
            : await walkRest(t.rest, filters, sort, limit);
          expect(walked).toEqual(expectedIds(model, filters, sort));
          expect(new Set(walked).size).toBe(walked.length);
        },
      ),
      { numRuns: 40, seed: 20261201 },
    );
  });
});
