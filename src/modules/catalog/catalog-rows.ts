import { z } from "@hono/zod-openapi";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { AppError } from "../../lib/errors";
import { Line, Prose, Text } from "../../lib/text";
import { ImageUrl, MAX_OPTIONS, Metadata, Price, ProductStatus, Slug, TAG_SEPARATOR, Tag } from "./schemas";

// The one row format of bulk import and export (README "Bulk import and export"): one row per
// variant, carrying its product. JSON rows and NDJSON lines are `CatalogRow`s; CSV flattens them
// into CSV_COLUMNS, so every field import sets is a column export writes.

/** The most rows one import call takes; the CLI sends bigger files in batches of this many. */
export const IMPORT_ROW_LIMIT = 1000;
const Count = z.number().int().min(0).max(2_147_483_647);

/** An image: a CSV cell holds one per line, the URL first (it has no whitespace), then its alt text. */
const ImageRow = z.strictObject({
  url: ImageUrl,
  alt: Line.max(500).default(""),
});

const OptionValue = z.strictObject({ name: Line.min(1).max(100), value: Line.min(1).max(100) });

export const CatalogRow = z
  .strictObject({
    sku: Line.min(1).max(100).openapi({ description: "The variant's SKU: the row's key", example: "TEE-M-RED" }),
    productSlug: Slug.openapi({ description: "The product; its fields are taken from its first row" }),
    title: Line.min(1).max(200).openapi({ description: "The product's title" }),
    description: Prose.max(5000).default("").openapi({ description: "The product's description" }),
    status: ProductStatus.default("draft"),
    categorySlug: Slug.nullable().default(null).openapi({ description: "An existing category, or none" }),
    tags: z.array(Tag).max(50).default([]),
    images: z.array(ImageRow).max(20).default([]).openapi({ description: "The product's images, in order" }),
    productMetadata: Metadata.default({}),
    price: Price.openapi({ description: "Minor units of the store currency", example: 1999 }),
    compareAtPrice: Price.nullable().default(null),
    weightGrams: Count.nullable().default(null),
    options: z
      .array(OptionValue)
      .max(MAX_OPTIONS)
      .default([])
      .openapi({ description: "The variant's value of each of the product's options, in the product's order" }),
    variantMetadata: Metadata.default({}),
    onHand: Count.optional().openapi({
      description: "Absolute stock on hand; left out: unchanged (0 for a new variant). Never below what is reserved",
    }),
    lowStockThreshold: Count.optional().openapi({ description: "Left out: unchanged (0 for a new variant)" }),
  })
  .openapi("CatalogRow");
export type CatalogRow = z.output<typeof CatalogRow>;

export const ImportRowsInput = z
  .strictObject({ rows: z.array(CatalogRow).min(1).max(IMPORT_ROW_LIMIT) })
  .openapi("ImportRowsInput");

/**
 * JSON rows, or the text of a CSV file (REST sends it as the `text/csv` body). One object rather
 * than a union: a bad row's error then names its row and field, not the union.
 */
export const ImportProductsInput = ImportRowsInput.partial({ rows: true })
  .extend({ csv: Text.optional() })
  .refine((input) => (input.rows === undefined) !== (input.csv === undefined), {
    message: "Send either rows or a CSV file",
    path: ["rows"],
  });

export const EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  "sku",
  "productSlug",
  "title",
  "description",
  "status",
  "categorySlug",
  "tags",
  "images",
  "productMetadata",
  "price",
  "compareAtPrice",
  "weightGrams",
  ...Array.from({ length: MAX_OPTIONS }, (_, i) => [`option${i + 1}Name`, `option${i + 1}Value`]).flat(),
  "variantMetadata",
  "onHand",
  "lowStockThreshold",
] as const;
type CsvRecord = Record<string, string>;

/** A row as one CSV record's cells (CSV_COLUMNS' order). */
function toCsvCells(row: CatalogRow): string[] {
  const cells: Record<string, string> = {
    sku: row.sku,
    productSlug: row.productSlug,
    title: row.title,
    description: row.description,
    status: row.status,
    categorySlug: row.categorySlug ?? "",
    tags: row.tags.join(TAG_SEPARATOR),
    images: row.images.map((i) => (i.alt ? `${i.url} ${i.alt}` : i.url)).join("\n"),
    productMetadata: JSON.stringify(row.productMetadata),
    price: String(row.price),
    compareAtPrice: row.compareAtPrice === null ? "" : String(row.compareAtPrice),
    weightGrams: row.weightGrams === null ? "" : String(row.weightGrams),
    variantMetadata: JSON.stringify(row.variantMetadata),
    onHand: row.onHand === undefined ? "" : String(row.onHand),
    lowStockThreshold: row.lowStockThreshold === undefined ? "" : String(row.lowStockThreshold),
  };
  row.options.forEach((o, i) => {
    cells[`option${i + 1}Name`] = o.name;
    cells[`option${i + 1}Value`] = o.value;
  });
  return CSV_COLUMNS.map((c) => cells[c] ?? "");
}

/** The CSV text of some rows, with the header line first when asked. */
export function csvText(rows: readonly CatalogRow[], header: boolean): string {
  return stringify(rows.map(toCsvCells), { header, columns: [...CSV_COLUMNS], eof: true, record_delimiter: "\n" });
}

/** The NDJSON text of some rows: one JSON row per line. */
export const ndjsonText = (rows: readonly CatalogRow[]): string => rows.map((r) => `${JSON.stringify(r)}\n`).join("");

/** The header of a CSV file must name known columns, each once, and at least those without a default. */
export function checkCsvHeader(columns: readonly string[]): void {
  const known = new Set<string>(CSV_COLUMNS);
  const issues = [
    ...columns.filter((c) => !known.has(c)).map((c) => `unknown column "${c}"`),
    ...columns.filter((c, i) => columns.indexOf(c) !== i).map((c) => `column "${c}" twice`),
    ...["sku", "productSlug", "title", "price"].filter((c) => !columns.includes(c)).map((c) => `no column "${c}"`),
  ];
  if (issues.length > 0) {
    throw new AppError("VALIDATION_FAILED", `The CSV header is not valid: ${issues.join(", ")}`, {
      errors: [{ path: "csv", message: issues.join(", ") }],
    });
  }
}

/**
 * One CSV record as an unchecked row, for CatalogRow to judge: an empty cell is the field left out,
 * integers become numbers and anything else stays text (so the error says what was expected).
 */
export function rowFromCsv(record: CsvRecord): unknown {
  const row: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) row[key] = value;
  };
  for (const key of ["sku", "productSlug", "title", "description", "status"]) put(key, record[key] || undefined);
  // An empty category, compare-at price or weight is none; left out would mean the same.
  put("categorySlug", record.categorySlug ? record.categorySlug : undefined);
  put("tags", record.tags ? record.tags.split(TAG_SEPARATOR) : undefined);
  put("images", record.images ? record.images.split(/\r?\n/).map(imageFromCell) : undefined);
  put("productMetadata", record.productMetadata ? json(record.productMetadata) : undefined);
  put("variantMetadata", record.variantMetadata ? json(record.variantMetadata) : undefined);
  for (const key of ["price", "compareAtPrice", "weightGrams", "onHand", "lowStockThreshold"]) {
    put(key, record[key] ? integer(record[key]) : undefined);
  }
  const options = Array.from({ length: MAX_OPTIONS }, (_, i) => ({
    name: record[`option${i + 1}Name`] ?? "",
    value: record[`option${i + 1}Value`] ?? "",
  })).filter((o) => o.name || o.value);
  if (options.length > 0) row.options = options;
  return row;
}

function imageFromCell(line: string) {
  const space = line.indexOf(" ");
  return space < 0 ? { url: line } : { url: line.slice(0, space), alt: line.slice(space + 1) };
}

const integer = (cell: string): number | string => (/^-?\d{1,15}$/.test(cell.trim()) ? Number(cell) : cell);

function json(cell: string): unknown {
  try {
    return JSON.parse(cell);
  } catch {
    return cell;
  }
}

/** How both the API (a whole body) and the CLI (a file, streamed) read CSV: records keyed by a checked header. */
export const CSV_PARSE_OPTIONS = {
  bom: true,
  skip_empty_lines: true,
  columns: (header: string[]) => {
    checkCsvHeader(header);
    return header;
  },
};

/** CSV text as unchecked rows; a file CSV cannot read at all is a 400 saying where. */
export function rowsFromCsv(text: string): unknown[] {
  let records: CsvRecord[];
  try {
    records = parse(text, CSV_PARSE_OPTIONS) as CsvRecord[];
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw csvError(err);
  }
  return records.map(rowFromCsv);
}

/** A CSV library failure (unclosed quote, wrong cell count) as the client's 400, naming the line. */
export function csvError(err: unknown): AppError {
  // The library's message names the line and the problem; cut it, as it may quote a long cell.
  const message = (err instanceof Error ? err.message : String(err)).slice(0, 300);
  return new AppError("VALIDATION_FAILED", `The CSV could not be read: ${message}`, {
    errors: [{ path: "csv", message }],
  });
}
