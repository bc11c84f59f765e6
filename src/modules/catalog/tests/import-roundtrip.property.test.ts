import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { useTestApp } from "../../../../tests/harness";
import type { CatalogRow } from "../catalog-rows";
import { importProducts } from "../import";

// Property: any valid catalog, imported, survives export -> import -> export byte for byte, and
// the export says exactly what was imported (lossless), in CSV and in NDJSON.

const t = await useTestApp();
const admin = t.as(await t.user("admin"));
const system = t.ctx({ kind: "system", name: "property" });
await t.sql`insert into categories (id, name, slug) values (${Bun.randomUUIDv7()}, 'Home', 'home')`;

// Characters that break CSV, JSON and naive splitting, beside plain ones.
const CHARS = ["a", "b", "Z", "0", " ", ",", '"', "'", ";", "=", "\\", "{", "}", "[", "é", "ß", "日", "🚀", "ك", "|"];
const text = (opts: { max: number; pipes?: boolean }) =>
  fc
    .array(fc.constantFrom(...CHARS.filter((c) => opts.pipes !== false || c !== "|")), { maxLength: opts.max })
    .map((cs) => cs.join(""));
/** One trimmed, non-empty line, as Line keeps it. */
const line = (max: number, pipes = true) =>
  text({ max, pipes })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const prose = fc
  .array(fc.oneof(text({ max: 6 }), fc.constantFrom("\n", "\r\n", "\t", "\r")), { maxLength: 5 })
  .map((parts) => parts.join(""));
const metadata = fc.dictionary(line(10), fc.oneof(text({ max: 8 }), fc.constantFrom("", "\n", "{}")), { maxKeys: 3 });
const nullableCount = fc.option(fc.nat({ max: 100_000 }), { nil: null });

const product = fc.record({
  title: line(20),
  description: prose,
  status: fc.constantFrom<CatalogRow["status"][]>("draft", "active", "archived"),
  categorySlug: fc.constantFrom(null, "home"),
  tags: fc.uniqueArray(line(8, false), { maxLength: 3 }),
  images: fc.array(fc.record({ q: text({ max: 6 }), alt: fc.oneof(fc.constant(""), line(12)) }), { maxLength: 2 }),
  productMetadata: metadata,
  optionNames: fc.uniqueArray(line(6), { maxLength: 3, selector: (n) => n.toLowerCase() }),
  variants: fc.array(
    fc.record({
      values: fc.array(line(6), { minLength: 3, maxLength: 3 }),
      price: fc.nat({ max: 2_147_483_647 }),
      compareAtPrice: nullableCount,
      weightGrams: nullableCount,
      variantMetadata: metadata,
      onHand: fc.nat({ max: 1000 }),
      lowStockThreshold: fc.nat({ max: 50 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** The generated products as import rows: unique slugs and SKUs, one distinct value combination per variant. */
type Generated = typeof product extends fc.Arbitrary<infer T> ? T : never;

function rowsOf(products: Generated[], run: number): CatalogRow[] {
  return products.flatMap((p, i) => {
    const variants = p.optionNames.length === 0 ? p.variants.slice(0, 1) : p.variants;
    return variants.map(
      (v, j): CatalogRow => ({
        sku: `SKU ${run}-${i}-${j} ,"x"`,
        productSlug: `p-${run}-${i}`,
        title: p.title,
        description: p.description,
        status: p.status,
        categorySlug: p.categorySlug,
        tags: p.tags,
        images: p.images.map((img, k) => ({
          url: `https://img.example/${k}?q=${encodeURIComponent(img.q)}`,
          alt: img.alt,
        })),
        productMetadata: p.productMetadata,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        weightGrams: v.weightGrams,
        // The first value carries the variant's index: two variants never share a combination.
        options: p.optionNames.map((name, k) => ({
          name,
          value: k === 0 ? `${j}${v.values[k]}` : (v.values[k] ?? ""),
        })),
        variantMetadata: v.variantMetadata,
        onHand: v.onHand,
        lowStockThreshold: v.lowStockThreshold,
      }),
    );
  });
}

const exportText = async (format: "csv" | "ndjson") => {
  const url = `http://cartwright.test/api/v1/admin/products/export?format=${format}`;
  const res = await t.app.fetch(new Request(url, { headers: admin.headers }));
  expect(res.status).toBe(200);
  return res.text();
};

describe("export -> import -> export", () => {
  test("random valid catalogs come back byte-identical and as imported", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(product, { minLength: 1, maxLength: 4 }), async (products) => {
        run++;
        await t.sql`delete from products`;
        const rows = rowsOf(products, run);
        await importProducts(system, { rows });

        const ndjson = await exportText("ndjson");
        const exported = ndjson
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as CatalogRow);
        const bySku = new Map(exported.map((r) => [r.sku, r]));
        for (const row of rows) expect(bySku.get(row.sku)).toEqual(row);
        expect(exported).toHaveLength(rows.length);

        const csv = await exportText("csv");
        const again = await admin.rest.request("POST", "/api/v1/admin/products/import", {
          rawBody: csv,
          headers: { "content-type": "text/csv" },
        });
        expect(again.status).toBe(200);
        expect(again.body.variants).toEqual({ created: 0, updated: 0, unchanged: rows.length });
        expect(again.body.products.updated + again.body.products.created).toBe(0);
        expect(await exportText("csv")).toBe(csv);
        expect(await exportText("ndjson")).toBe(ndjson);
      }),
      { numRuns: 10, seed: 20261201 },
    );
  }, 60_000);
});
