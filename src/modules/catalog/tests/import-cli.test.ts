import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useTestApp } from "../../../../tests/harness";
import { runToExit } from "../../../../tests/server-process";

// `bun run catalog:import FILE` and `bun run catalog:export [--format] [FILE]` as a user runs them:
// subprocesses on this file's database.

const t = await useTestApp();
const admin = t.as(await t.user("admin"));
const scratch = mkdtempSync(join(tmpdir(), "cartwright-catalog-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Each test starts one or two Bun processes (about a second each here, more on a busy machine).
const CLI_TEST_MS = 30_000;

const run = (...args: string[]) =>
  runToExit(["bun", ...args], { DATABASE_URL: t.databaseUrl, LOG_LEVEL: "warn", WORKER_ENABLED: "false" }, 30_000);

const CSV = [
  "sku,productSlug,title,description,price,option1Name,option1Value,onHand",
  'CLI-S,cli-tee,"CLI tee, soft","Two\nlines",1000,Size,S,4',
  'CLI-M,cli-tee,"CLI tee, soft","Two\nlines",1100,Size,M,2',
  "CLI-CAP,cli-cap,Cap,,500,,,9",
].join("\n");

describe("catalog:import", () => {
  test(
    "imports a CSV file and prints a summary",
    async () => {
      const file = join(scratch, "catalog.csv");
      writeFileSync(file, CSV);
      const result = await run("scripts/catalog-import.ts", file);
      expect(result.stderr).toContain("3 rows read. products: 2 created, 0 updated, 0 unchanged; variants: 3 created");
      expect(result.code).toBe(0);
      const rows =
        await t.sql`select v.sku, l.on_hand from variants v join inventory_levels l on l.variant_id = v.id order by v.sku`;
      expect(rows.map((r) => [r.sku, r.on_hand])).toEqual([
        ["CLI-CAP", 9],
        ["CLI-M", 2],
        ["CLI-S", 4],
      ]);
    },
    CLI_TEST_MS,
  );

  test(
    "a bad row fails its batch, is listed with its field, and the exit code is 1",
    async () => {
      const file = join(scratch, "bad.ndjson");
      const lines = [
        { sku: "CLI-N1", productSlug: "cli-n", title: "N", price: 1 },
        { sku: "CLI-N2", productSlug: "cli-n", title: "N", price: -1 },
      ];
      writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n"));
      const result = await run("scripts/catalog-import.ts", file);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("rows.1.price:");
      expect(await t.sql`select 1 from variants where sku like 'CLI-N%'`).toHaveLength(0);
    },
    CLI_TEST_MS,
  );
});

describe("catalog:export", () => {
  test(
    "writes the API's export to stdout or to a file",
    async () => {
      const api = await admin.rest.get("/api/v1/admin/products/export?format=csv");
      const toStdout = await run("scripts/catalog-export.ts");
      expect(toStdout.code).toBe(0);
      expect(toStdout.output.startsWith(api.body)).toBe(true);
      const file = join(scratch, "out.ndjson");
      const toFile = await run("scripts/catalog-export.ts", "--format", "ndjson", file);
      expect(toFile.code).toBe(0);
      expect(toFile.stderr).toContain(`exported 3 rows to ${file}`);
      expect(
        readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l).sku),
      ).toEqual(["CLI-CAP", "CLI-S", "CLI-M"]);
    },
    CLI_TEST_MS,
  );
});
