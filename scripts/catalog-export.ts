import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { runCommand } from "../src/boot";
import { EXPORT_FORMATS, type ExportFormat } from "../src/modules/catalog/catalog-rows";
import { progress } from "../src/modules/catalog/import-export-progress";
import * as catalog from "../src/modules/catalog/service";

// `bun run catalog:export [--format csv|ndjson] [FILE]`: the whole catalog, streamed batch by
// batch (the API's export, same code) to FILE or stdout; progress on stderr.
const { values, positionals } = parseArgs({ allowPositionals: true, options: { format: { type: "string" } } });
const [file] = positionals;
const format = (values.format ?? (file && /\.(ndjson|jsonl)$/i.test(file) ? "ndjson" : "csv")) as ExportFormat;
if (!EXPORT_FORMATS.includes(format) || positionals.length > 1) {
  console.error("usage: bun run catalog:export [--format csv|ndjson] [FILE]  (stdout without FILE)");
  process.exit(2);
}

await runCommand("exporting the catalog", "", { migrate: true }, async (deps, ctx) => {
  const [{ n: total = 0 } = {}] = await deps.database.sql<{ n: number }[]>`select count(*)::int as n from variants`;
  const out = file ? createWriteStream(file) : process.stdout;
  const bar = progress("exporting", total, "variants");
  let rows = 0;
  for await (const chunk of catalog.exportChunks(ctx, format)) {
    if (!out.write(chunk.text)) await once(out, "drain");
    rows += chunk.rows;
    bar.update(rows, rows);
  }
  bar.stop();
  if (file)
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  console.warn(`exported ${rows} rows${file ? ` to ${file}` : ""}`);
});
