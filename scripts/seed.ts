import { parseArgs } from "node:util";
import { runCommand } from "../src/boot";
import { DEMO_PRODUCTS, seedDemoStore } from "../src/seed";
import { DEMO_ACCOUNTS } from "../src/seed/accounts";
import { progressBar } from "../src/seed/progress-bar";

// `bun run db:seed [--products N]`: the demo store, idempotent; N products (default 1,000)
// through the bulk path, so `--products 250000` builds a benchmark catalog.
const { values } = parseArgs({ args: process.argv.slice(2), options: { products: { type: "string" } }, strict: true });
const products = values.products === undefined ? DEMO_PRODUCTS : Number(values.products.replaceAll("_", ""));
if (!Number.isInteger(products) || products < 0 || products > 10_000_000) {
  console.error("db:seed: --products must be an integer from 0 to 10000000");
  process.exit(2);
}

await runCommand("seeding the demo store", "", { migrate: true }, async (deps, ctx) => {
  console.warn(`seeding ${deps.modes.database} (${products.toLocaleString("en-US")} products)`);
  const bar = progressBar();
  const started = performance.now();
  const { created } = await seedDemoStore(ctx, bar, { products });
  bar.end();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.warn(`seed done: ${created.toLocaleString("en-US")} created, the rest already there (${seconds} s)`);
  console.warn("demo accounts (for local demos only; change or delete them anywhere else):");
  for (const a of DEMO_ACCOUNTS) console.warn(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}`);
});
