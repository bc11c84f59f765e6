import { describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { EXPORT_BATCH_PRODUCTS } from "../export";

// GET /admin/products/export: the whole catalog streamed in the import's row format, and the
// round trip export -> import -> export that changes nothing.

const t = await useTestApp();
const admin = t.as(await t.user("admin"));
await t.sql`insert into categories (id, name, slug) values (${Bun.randomUUIDv7()}, 'Home', 'home')`;

/** The export's text; CSV through the client that checks responses against the document (it would parse NDJSON as JSON). */
const exportAs = async (format: "csv" | "ndjson") => {
  if (format === "csv") {
    const res = await admin.rest.get("/api/v1/admin/products/export?format=csv");
    expect(res.status).toBe(200);
    return res.body as string;
  }
  const url = "http://cartwright.test/api/v1/admin/products/export?format=ndjson";
  const res = await t.app.fetch(new Request(url, { headers: admin.headers }));
  expect(res.status).toBe(200);
  return res.text();
};
const importText = (text: string, format: "csv" | "ndjson") =>
  format === "csv"
    ? admin.rest.request("POST", "/api/v1/admin/products/import", {
        rawBody: text,
        headers: { "content-type": "text/csv" },
      })
    : admin.rest.post("/api/v1/admin/products/import", {
        rows: text
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
      });

// Values that break naive CSV and JSON handling, on every field that takes text.
await makeProduct(t, {
  title: "Plain",
  status: "draft",
  options: [{ name: "Size", values: ["S", "M", "L"] }],
  variants: [
    { price: 1000, options: { Size: "L" }, onHand: 0 },
    { price: 900, options: { Size: "S" }, compareAtPrice: 1200, weightGrams: 250 },
  ],
  images: [{ url: "https://img.example/p.png", alt: "Front" }, { url: "https://img.example/q.png" }],
  tags: ["a tag", "b"],
});
const tricky = await admin.rest.post("/api/v1/admin/products/import", {
  rows: [
    {
      sku: 'SKU, "quoted"',
      productSlug: "tricky",
      title: 'Commas, "quotes" & ünïcødé 日本語 🚀',
      description: 'Line 1\nLine 2, with "quotes"\r\n\ttabbed',
      status: "archived",
      categorySlug: "home",
      tags: ["x,y", 'say "hi"', "ß"],
      images: [{ url: "https://img.example/a.jpg?x=1,2", alt: 'Alt, with "quotes" and spaces  inside' }],
      productMetadata: { "erp id": 'P,"1"', ключ: "значение" },
      price: 0,
      compareAtPrice: null,
      options: [
        { name: "Colour, shade", value: 'Red "ish"' },
        { name: "Size", value: "XL" },
      ],
      variantMetadata: { note: "line\nbreak" },
      onHand: 7,
      lowStockThreshold: 3,
    },
    {
      sku: "SKU-2",
      productSlug: "tricky",
      title: 'Commas, "quotes" & ünïcødé 日本語 🚀',
      description: 'Line 1\nLine 2, with "quotes"\r\n\ttabbed',
      status: "archived",
      categorySlug: "home",
      tags: ["x,y", 'say "hi"', "ß"],
      images: [{ url: "https://img.example/a.jpg?x=1,2", alt: 'Alt, with "quotes" and spaces  inside' }],
      productMetadata: { "erp id": 'P,"1"', ключ: "значение" },
      price: 2_000_000_000,
      options: [
        { name: "Colour, shade", value: "Blue" },
        { name: "Size", value: "XL" },
      ],
    },
  ],
});
expect(tricky.status).toBe(200);

describe("exportProducts", () => {
  test("CSV: a header line, then one row per variant of every status", async () => {
    const csv = await exportAs("csv");
    const [header] = csv.split("\n");
    expect(header).toStartWith(
      "sku,productSlug,title,description,status,categorySlug,tags,images,productMetadata,price",
    );
    expect(csv).toContain('"SKU, ""quoted"""');
    expect(csv).toContain("archived");
    expect(csv).toContain("draft");
  });

  test("NDJSON: one import row per line", async () => {
    const lines = (await exportAs("ndjson"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.sku === 'SKU, "quoted"')).toMatchObject({
      productSlug: "tricky",
      categorySlug: "home",
      options: [
        { name: "Colour, shade", value: 'Red "ish"' },
        { name: "Size", value: "XL" },
      ],
      onHand: 7,
      lowStockThreshold: 3,
      compareAtPrice: null,
    });
  });

  for (const format of ["csv", "ndjson"] as const) {
    test(`${format}: importing the export changes nothing, and the next export is byte-identical`, async () => {
      const first = await exportAs(format);
      const before = await t.sql`select count(*)::int as n from inventory_ledger`;
      const res = await importText(first, format);
      expect(res.status).toBe(200);
      for (const row of res.body.rows)
        expect([row.sku, row.variant, row.product]).toEqual([row.sku, "unchanged", "unchanged"]);
      expect(await t.sql`select count(*)::int as n from inventory_ledger`).toEqual(before);
      expect(await exportAs(format)).toBe(first);
    });
  }

  test("an empty cell for compare-at, weight and category round-trips as none", async () => {
    const lines = (await exportAs("ndjson"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const plain = lines.find((l) => l.productSlug.startsWith("plain") && l.options[0].value === "L");
    expect(plain).toMatchObject({ compareAtPrice: null, weightGrams: null, categorySlug: null, onHand: 0 });
  });

  test("streams: the first batch arrives before the body is complete, with no Content-Length", async () => {
    const rows = Array.from({ length: EXPORT_BATCH_PRODUCTS + 10 }, (_, i) => ({
      sku: `STREAM-${String(i).padStart(4, "0")}`,
      productSlug: `stream-${String(i).padStart(4, "0")}`,
      title: `Stream ${i}`,
      price: i,
    }));
    expect((await admin.rest.post("/api/v1/admin/products/import", { rows })).status).toBe(200);
    const res = await t.app.fetch(
      new Request("http://cartwright.test/api/v1/admin/products/export?format=ndjson", { headers: admin.headers }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("application/x-ndjson");
    expect(res.headers.get("content-length")).toBeNull();
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    // One batch of products, not the catalog: the last stream product comes in a later chunk.
    expect(first).not.toContain("stream-0259");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toContain("stream-0259");
    expect((first + rest).trim().split("\n")).toHaveLength(EXPORT_BATCH_PRODUCTS + 10 + 4);
  });

  test("an unknown format is a 400 naming format", async () => {
    const res = await admin.rest.get("/api/v1/admin/products/export?format=xml");
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("format");
  });
});
