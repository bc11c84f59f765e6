import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

// POST /admin/products/import over JSON, CSV and tRPC: what it creates and updates, and an
// import with a bad row that writes nothing and names every bad row and field.

const t = await useTestApp();
const admin = t.as(await t.user("admin"));
const system = t.ctx({ kind: "system", name: "test" });
await t.sql`insert into categories (id, name, slug) values (${Bun.randomUUIDv7()}, 'Shirts', 'shirts')`;

const importJson = (rows: unknown[]) => admin.rest.post("/api/v1/admin/products/import", { rows });
const importCsv = (csv: string) =>
  admin.rest.request("POST", "/api/v1/admin/products/import", {
    rawBody: csv,
    headers: { "content-type": "text/csv" },
  });

const CATALOG_TABLES = [
  "categories",
  "collections",
  "collection_products",
  "products",
  "product_options",
  "variants",
  "product_images",
  "inventory_levels",
  "inventory_ledger",
  "product_changes",
] as const;
async function counts() {
  const out: Record<string, number> = {};
  for (const table of CATALOG_TABLES) {
    const [row] = await t.sql.unsafe(`select count(*)::int as n from ${table}`);
    out[table] = row?.n;
  }
  const [jobs] = await t.sql`select count(*)::int as n from graphile_worker.jobs`;
  out.jobs = jobs?.n;
  return out;
}

const tee = (sku: string, size: string, extra: Record<string, unknown> = {}) => ({
  sku,
  productSlug: "basic-tee",
  title: "Basic tee",
  description: 'Soft, "heavy" cotton,\nwashed.',
  status: "active" as const,
  categorySlug: "shirts",
  tags: ["cotton", "summer"],
  images: [{ url: "https://img.example/tee.jpg", alt: "A tee" }],
  productMetadata: { erpId: "P-1" },
  price: 1999,
  options: [{ name: "Size", value: size }],
  onHand: 5,
  lowStockThreshold: 2,
  ...extra,
});

describe("importProducts (JSON rows)", () => {
  test("creates the product, its options, variants and stock, and reports each row", async () => {
    const res = await importJson([tee("TEE-S", "S"), tee("TEE-M", "M", { compareAtPrice: 2499, weightGrams: 180 })]);
    expect(res.status).toBe(200);
    expect(res.body.products).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(
      res.body.rows.map((r: { sku: string; variant: string; product: string }) => [r.sku, r.variant, r.product]),
    ).toEqual([
      ["TEE-S", "created", "created"],
      ["TEE-M", "created", "created"],
    ]);
    const [product] = await t.sql`select * from products where slug = 'basic-tee'`;
    expect(product).toMatchObject({
      title: "Basic tee",
      status: "active",
      tags: ["cotton", "summer"],
      min_price: 1999,
      in_stock: true,
    });
    const options = await t.sql`select name, values from product_options where product_id = ${product?.id}`;
    expect(options.map((o) => ({ ...o }))).toEqual([{ name: "Size", values: ["S", "M"] }]);
    const stock = await t.sql`
      select v.sku, l.on_hand, l.low_stock_threshold from variants v join inventory_levels l on l.variant_id = v.id
      where v.product_id = ${product?.id} order by v.position`;
    expect(stock.map((s) => [s.sku, s.on_hand, s.low_stock_threshold])).toEqual([
      ["TEE-S", 5, 2],
      ["TEE-M", 5, 2],
    ]);
  });

  test("a second import of the same rows changes nothing", async () => {
    const before = await counts();
    const res = await importJson([tee("TEE-S", "S"), tee("TEE-M", "M", { compareAtPrice: 2499, weightGrams: 180 })]);
    expect(
      res.body.rows.every(
        (r: { variant: string; product: string }) => r.variant === "unchanged" && r.product === "unchanged",
      ),
    ).toBe(true);
    expect(await counts()).toEqual(before);
  });

  test("upserts by SKU: a new price and stock update, a new SKU adds a variant and an option value", async () => {
    const res = await importJson([
      tee("TEE-S", "S", { price: 1799, onHand: 8 }),
      tee("TEE-M", "M", { compareAtPrice: 2499, weightGrams: 180 }),
      tee("TEE-L", "L"),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { variant: string }) => r.variant)).toEqual(["updated", "unchanged", "created"]);
    expect(res.body.products).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const [s] =
      await t.sql`select v.price, l.on_hand from variants v join inventory_levels l on l.variant_id = v.id where sku = 'TEE-S'`;
    expect(s).toMatchObject({ price: 1799, on_hand: 8 });
    const ledger = await t.sql`
      select kind, on_hand_delta, on_hand_after from inventory_ledger g join variants v on v.id = g.variant_id
      where v.sku = 'TEE-S' order by g.created_at, g.id`;
    expect(ledger.map((l) => [l.kind, l.on_hand_delta, l.on_hand_after])).toEqual([
      ["initial", 5, 5],
      ["import", 3, 8],
    ]);
    const [sum] = await t.sql`
      select l.on_hand, (select sum(on_hand_delta)::int from inventory_ledger where variant_id = v.id) as total
      from variants v join inventory_levels l on l.variant_id = v.id where v.sku = 'TEE-S'`;
    expect(sum?.total).toBe(sum?.on_hand);
    const [options] =
      await t.sql`select values from product_options o join products p on p.id = o.product_id where p.slug = 'basic-tee'`;
    expect(options?.values).toEqual(["S", "M", "L"]);
  });

  test("queues one search-index job for the whole import, not one per row", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      sku: `MANY-${i}`,
      productSlug: `many-${i % 7}`,
      title: `Many ${i % 7}`,
      price: 100 + i,
      options: [{ name: "N", value: String(i) }],
    }));
    const [before] = await t.sql`select count(*)::int as n from graphile_worker.jobs`;
    const res = await importJson(rows);
    expect(res.status).toBe(200);
    const [after] = await t.sql`select count(*)::int as n from graphile_worker.jobs`;
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBeLessThanOrEqual(1);
    const [jobs] =
      await t.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync-search-index'`;
    expect(jobs?.n).toBe(1);
    const queued =
      await t.sql`select p.slug from product_changes c join products p on p.id = c.product_id where p.slug like 'many-%'`;
    expect(queued.length).toBe(7);
  });

  test("stock falling to the low-stock threshold enqueues one alert, and rising again none", async () => {
    const row = { sku: "LOW-1", productSlug: "low", title: "Low", price: 100, lowStockThreshold: 5 };
    const alerts = async () => {
      const [n] =
        await t.sql`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'low-stock-alert'`;
      return n?.n;
    };
    await importJson([{ ...row, onHand: 10 }]);
    expect(await alerts()).toBe(0);
    await importJson([{ ...row, onHand: 4 }]);
    expect(await alerts()).toBe(1);
    await importJson([{ ...row, onHand: 3 }]);
    await importJson([{ ...row, onHand: 9 }]);
    expect(await alerts()).toBe(1);
  });

  test("over tRPC, the same rows and the same report", async () => {
    const report = await admin.trpc.admin.products.import.mutate({ rows: [tee("TEE-XL", "XL")] });
    expect(report.rows).toEqual([expect.objectContaining({ sku: "TEE-XL", variant: "created", product: "updated" })]);
  });

  test("over tRPC, a bad row is the same 400 naming its row and field", async () => {
    const err = await trpcError(
      admin.trpc.admin.products.import.mutate({ rows: [tee("TEE-XS", "XS", { price: 1.5 })] }),
    );
    expect(err.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400 });
    expect(err.data.errors.map((e: { path: string }) => e.path)).toEqual(["rows.0.price"]);
  });
});

describe("importProducts (CSV)", () => {
  test("creates products from a CSV file with quoted commas, quotes, newlines and unicode", async () => {
    const csv = [
      "sku,productSlug,title,description,status,tags,images,price,compareAtPrice,option1Name,option1Value,onHand",
      'MUG-1,mug,"Mug, ""large""","Line one\nLine two — ünïcødé ☕",active,kitchen|gift,"https://img.example/m.jpg Front view\nhttps://img.example/b.jpg",1250,,Colour,Blue,3',
      'MUG-2,mug,"Mug, ""large""","Line one\nLine two — ünïcødé ☕",active,kitchen|gift,"https://img.example/m.jpg Front view\nhttps://img.example/b.jpg",1350,1500,Colour,Red,0',
    ].join("\n");
    const res = await importCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body.variants).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const [mug] = await t.sql`select * from products where slug = 'mug'`;
    expect(mug).toMatchObject({
      title: 'Mug, "large"',
      description: "Line one\nLine two — ünïcødé ☕",
      tags: ["kitchen", "gift"],
    });
    const images = await t.sql`select url, alt from product_images where product_id = ${mug?.id} order by position`;
    expect(images.map((i) => ({ ...i }))).toEqual([
      { url: "https://img.example/m.jpg", alt: "Front view" },
      { url: "https://img.example/b.jpg", alt: "" },
    ]);
    const variants =
      await t.sql`select sku, compare_at_price, options from variants where product_id = ${mug?.id} order by position`;
    expect(variants.map((v) => [v.sku, v.compare_at_price, v.options])).toEqual([
      ["MUG-1", null, { Colour: "Blue" }],
      ["MUG-2", 1500, { Colour: "Red" }],
    ]);
  });

  test("an unknown or missing column is a 400 naming it", async () => {
    const res = await importCsv("sku,productSlug,title,colour\nA,a,A,red\n");
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain('unknown column "colour"');
    expect(res.body.errors[0].message).toContain('no column "price"');
  });

  test("a file CSV cannot read is a 400, never a 500", async () => {
    const res = await importCsv('sku,productSlug,title,price\n"A,a,A,1\n');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("csv");
  });

  test("another media type is a 415", async () => {
    const res = await admin.rest.request("POST", "/api/v1/admin/products/import", {
      rawBody: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(415);
  });
});

describe("importProducts with bad rows", () => {
  test("writes nothing when one row of many is bad, and names its row and field", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      sku: `BULK-${i}`,
      productSlug: `bulk-${i}`,
      title: `Bulk ${i}`,
      price: 500,
      onHand: 1,
    }));
    rows[12] = { ...rows[12], price: -5 } as (typeof rows)[number];
    const before = await counts();
    const res = await importJson(rows);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "rows.12.price", message: expect.any(String) }]);
    expect(await counts()).toEqual(before);
  });

  test("names every bad row: conflicting product fields, duplicate SKUs, unknown categories, repeated option values", async () => {
    const before = await counts();
    const res = await importJson([
      {
        sku: "X-1",
        productSlug: "x",
        title: "X",
        price: 1,
        categorySlug: "no-such-category",
        options: [{ name: "Size", value: "S" }],
      },
      {
        sku: "X-2",
        productSlug: "x",
        title: "Not X",
        price: 1,
        categorySlug: "no-such-category",
        options: [{ name: "Size", value: "S" }],
      },
      { sku: "X-1", productSlug: "y", title: "Y", price: 1 },
    ]);
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(["rows.0.categorySlug", "rows.1.title", "rows.1.options", "rows.2.sku"]),
    );
    expect(await counts()).toEqual(before);
  });

  test("a category that does not exist is named", async () => {
    const res = await importJson([{ sku: "C-1", productSlug: "c", title: "C", price: 1, categorySlug: "nowhere" }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "rows.0.categorySlug", message: "No category has the slug nowhere" }]);
  });

  test("a SKU of another product, and stock below what is reserved, are refused", async () => {
    const other = await makeProduct(t, { title: "Other", variants: [{ sku: "OTHER-1", price: 100, onHand: 5 }] });
    await t.sql`update inventory_levels set reserved = 3 where variant_id = ${other.variants[0]?.id ?? ""}`;
    const res = await importJson([
      { sku: "OTHER-1", productSlug: "not-other", title: "N", price: 1 },
      { sku: "OTHER-1", productSlug: other.slug, title: "Other", price: 100, onHand: 2 },
    ]);
    expect(res.status).toBe(400);
    const again = await importJson([
      { sku: "OTHER-1", productSlug: other.slug, title: "Other", price: 100, onHand: 2 },
    ]);
    expect(again.body.errors).toEqual([{ path: "rows.0.onHand", message: "Below the 3 units reserved" }]);
    const moved = await importJson([{ sku: "OTHER-1", productSlug: "not-other", title: "N", price: 1 }]);
    expect(moved.body.errors).toEqual([
      { path: "rows.0.sku", message: `Belongs to the product ${other.slug}: a SKU cannot move` },
    ]);
  });

  test("more than 1,000 rows is a 400 naming rows", async () => {
    const rows = Array.from({ length: 1001 }, (_, i) => ({ sku: `S${i}`, productSlug: "big", title: "Big", price: 1 }));
    const res = await importJson(rows);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("rows");
  });

  test("the service refuses the same rows a system caller sends", async () => {
    const { importProducts } = await import("../import");
    await expect(
      importProducts(system, { rows: [{ sku: "Z", productSlug: "z", title: "Z", price: -1 }] }),
    ).rejects.toThrow();
  });
});

describe("access", () => {
  const rows = [{ sku: "ACC-1", productSlug: "acc", title: "Acc", price: 1 }];
  test("a guest is 401, a customer 403", async () => {
    expect((await t.rest.post("/api/v1/admin/products/import", { rows })).status).toBe(401);
    const customer = t.as(await t.user("customer"));
    expect((await customer.rest.post("/api/v1/admin/products/import", { rows })).status).toBe(403);
    expect((await customer.rest.get("/api/v1/admin/products/export")).status).toBe(403);
    expect((await t.rest.get("/api/v1/admin/products/export")).status).toBe(401);
  });

  test("API keys: catalog:write imports, catalog:read exports, each alone is not the other", async () => {
    const reader = await t.asKey(["catalog:read"]);
    const writer = await t.asKey(["catalog:write"]);
    expect((await reader.rest.post("/api/v1/admin/products/import", { rows })).status).toBe(403);
    expect((await writer.rest.post("/api/v1/admin/products/import", { rows })).status).toBe(200);
    expect((await writer.rest.get("/api/v1/admin/products/export")).status).toBe(403);
    expect((await reader.rest.get("/api/v1/admin/products/export")).status).toBe(200);
  });
});
