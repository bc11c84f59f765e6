import { runCommand } from "../src/boot";
import { reindexTypesense } from "../src/modules/search/typesense-reindex";
import { TypesenseSearch } from "../src/modules/search/typesense-search";

// `bun run search:reindex`: rebuilds the Typesense collection from Postgres into a new
// collection, swaps the alias to it (searches never see a half-built index) and drops the old one.
const { TYPESENSE_URL, TYPESENSE_API_KEY } = process.env;
if (!TYPESENSE_URL || !TYPESENSE_API_KEY) {
  console.error(
    "cartwright: search:reindex needs TYPESENSE_URL and TYPESENSE_API_KEY (search runs on Postgres without them)",
  );
  process.exit(1);
}

await runCommand("reindexing Typesense", "check TYPESENSE_URL and TYPESENSE_API_KEY", {}, async (deps) => {
  const typesense = new TypesenseSearch({ url: TYPESENSE_URL, apiKey: TYPESENSE_API_KEY, timeoutSeconds: 30 });
  const started = performance.now();
  const result = await reindexTypesense(deps.database.db, typesense, progressBar());
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.warn(
    `reindexed ${result.indexed} products into ${result.collection} in ${seconds} s; alias ${typesense.alias} -> ${result.collection}` +
      (result.previous ? `; dropped ${result.previous}` : ""),
  );
});

/** A bar on a terminal, a line per tenth otherwise (CI logs). */
function progressBar() {
  let shown = -1;
  return (done: number, total: number) => {
    const ratio = total === 0 ? 1 : done / total;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r  [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) process.stderr.write("\n");
    } else if (Math.floor(ratio * 10) > shown) {
      shown = Math.floor(ratio * 10);
      console.warn(`  indexed ${done}/${total}`);
    }
  };
}
