import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { parse } from "csv-parse";
import { runCommand } from "../src/boot";
import { toAppError } from "../src/lib/errors";
import { CSV_PARSE_OPTIONS, csvError, IMPORT_ROW_LIMIT, rowFromCsv } from "../src/modules/catalog/catalog-rows";
import { progress } from "../src/modules/catalog/import-export-progress";
import type { ImportReport } from "../src/modules/catalog/import-report";
import * as catalog from "../src/modules/catalog/service";

// `bun run catalog:import FILE` (.csv, or .ndjson/.jsonl): any size, in batches of IMPORT_ROW_LIMIT
// rows, each batch its own transaction (the API's one call is all or nothing; a file is not: a
// bad batch is refused whole, the others go in). Lists the refused rows and exits 1 if any.
const { positionals } = parseArgs({ allowPositionals: true });
const [file] = positionals;
if (!file || !/\.(csv|ndjson|jsonl)$/i.test(file)) {
  console.error("usage: bun run catalog:import FILE.csv|FILE.ndjson");
  process.exit(2);
}

type Tally = ImportReport["products"];
const add = (a: Tally, b: Tally): Tally => ({
  created: a.created + b.created,
  updated: a.updated + b.updated,
  unchanged: a.unchanged + b.unchanged,
});

await runCommand(`importing ${file}`, "check the file's path and format", { migrate: true }, async (_deps, ctx) => {
  const size = statSync(file).size;
  const input = createReadStream(file);
  let read = 0;
  input.on("data", (chunk) => {
    read += chunk.length;
  });
  const bar = progress(`importing ${file}`, size, "bytes");
  let products: Tally = { created: 0, updated: 0, unchanged: 0 };
  let variants: Tally = { created: 0, updated: 0, unchanged: 0 };
  const refused: string[] = [];
  let batch: unknown[] = [];
  let offset = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      const report = await catalog.importProducts(ctx, { rows: batch as never });
      products = add(products, report.products);
      variants = add(variants, report.variants);
    } catch (err) {
      const { error } = toAppError(err);
      if (error.code !== "VALIDATION_FAILED") throw err;
      // Paths name rows within the batch: renumber them from the file's first row.
      const at = (path: string) => path.replace(/^rows\.(\d+)/, (_, n: string) => `rows.${offset + Number(n)}`);
      for (const e of error.details?.errors ?? []) refused.push(`${at(e.path)}: ${e.message}`);
      const omitted = error.details?.omittedErrors;
      if (typeof omitted === "number")
        refused.push(`(and ${omitted} more in rows ${offset}-${offset + batch.length - 1})`);
    }
    offset += batch.length;
    batch = [];
    bar.update(read, offset);
  };
  for await (const row of rowsOf(file, input)) {
    batch.push(row);
    if (batch.length === IMPORT_ROW_LIMIT) await flush();
  }
  await flush();
  bar.stop();
  const line = (what: string, t: Tally) =>
    `${what}: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged`;
  console.warn(`${offset} rows read. ${line("products", products)}; ${line("variants", variants)}`);
  if (refused.length > 0) {
    console.warn("refused rows (each in a batch that was not written):");
    for (const r of refused) console.warn(`  ${r}`);
    throw new Error(`${refused.length} problems: the batches holding them were not imported`);
  }
});

/** The file's rows, unchecked: CSV records through the same cell rules as the API's, or NDJSON lines. */
async function* rowsOf(path: string, input: NodeJS.ReadableStream): AsyncGenerator<unknown> {
  if (/\.csv$/i.test(path)) {
    const parser = input.pipe(parse(CSV_PARSE_OPTIONS));
    try {
      for await (const record of parser) yield rowFromCsv(record);
    } catch (err) {
      throw toAppError(err).error.code === "VALIDATION_FAILED" ? err : csvError(err);
    }
    return;
  }
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line);
    } catch {
      throw new Error(`line ${n} is not JSON`);
    }
  }
}
