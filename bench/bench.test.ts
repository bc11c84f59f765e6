import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Random } from "../src/seed/random";
import { filteredListPaths, luaTable, typo } from "./catalog-requests";
import { catalogGoals } from "./goals";
import type { CatalogSample } from "./prepare-catalog";
import { mergeResults } from "./results-file";

const sample: CatalogSample = {
  products: 3,
  variants: 9,
  seeded: { created: 0, seconds: 0 },
  categoryIds: ["01a00000-0000-7000-8000-000000000001"],
  collectionIds: ["01a00000-0000-7000-8000-000000000002"],
  tags: ["eco"],
  options: [["capacity", "10 L"]],
  prices: { min: 99, max: 9999 },
  slugs: ["a-1"],
  words: ["linen"],
};

describe("typo", () => {
  test("swaps two letters or drops one, never the first, so the word stays findable", () => {
    fc.assert(
      fc.property(fc.integer(), fc.stringMatching(/^[a-z]{4,12}$/), (seed, word) => {
        const t = typo(new Random(seed), word);
        const typos = new Set<string>();
        for (let i = 1; i < word.length; i++) {
          typos.add(word.slice(0, i) + word.slice(i + 1));
          if (i < word.length - 1) typos.add(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
        }
        expect(typos.has(t)).toBe(true);
      }),
    );
  });
});

describe("filteredListPaths", () => {
  test("asks for list pages with a sort and real, URL-encoded filter values", () => {
    const paths = filteredListPaths(sample);
    expect(paths.length).toBeGreaterThan(100);
    for (const p of paths) expect(p).toMatch(/^\/api\/v1\/products\?limit=20&sort=(newest|price_asc|price_desc|title)/);
    expect(paths.some((p) => p.includes("option.capacity=10%20L"))).toBe(true);
    expect(paths.some((p) => p.includes(`categoryId=${sample.categoryIds[0]}`))).toBe(true);
  });
});

describe("luaTable", () => {
  test("writes strings with quotes and backslashes as Lua string literals", () => {
    expect(luaTable({ paths: ['/a?q="x"', "/b\\c"], n: 3 })).toBe(
      'return {\npaths = {\n  "/a?q=\\"x\\"",\n  "/b\\\\c",\n},\nn = 3,\n}\n',
    );
  });
});

describe("mergeResults", () => {
  test("keeps one section per catalog size, in order, replacing a rerun's own", () => {
    const first = mergeResults("", 250_000, "## 250,000 products\nold");
    const both = mergeResults(first, 10_000, "## 10,000 products\nten");
    const rerun = mergeResults(both, 250_000, "## 250,000 products\nnew");
    expect(rerun.indexOf("ten")).toBeLessThan(rerun.indexOf("new"));
    expect(rerun).not.toContain("old");
    expect(rerun.match(/<!-- bench products=/g)?.length).toBe(2);
  });

  test("a run of a few targets (--only) has its own section beside the full run's", () => {
    const full = mergeResults("", 10_000, "## 10,000 products\nfull");
    const some = mergeResults(full, 10_000, "## 10,000 products: health, cart-read\nsome", ["health", "cart-read"]);
    const again = mergeResults(some, 10_000, "## 10,000 products: health, cart-read\nsome again", [
      "health",
      "cart-read",
    ]);
    expect(again).toContain("full");
    expect(again).not.toContain("some\n");
    expect(again.indexOf("full")).toBeLessThan(again.indexOf("some again"));
    expect(again).toContain("<!-- bench products=10000 only=health,cart-read -->");
  });

  test("keeps a file from before the sections below them, its headings one level down", () => {
    const merged = mergeResults("# Cartwright HTTP benchmark\n\n## Results\n", 10_000, "## 10,000 products");
    expect(merged).toContain("### Cartwright HTTP benchmark");
    expect(merged).toContain("#### Results");
    expect(merged.indexOf("## 10,000 products")).toBeLessThan(merged.indexOf("### Cartwright"));
  });
});

describe("catalogGoals", () => {
  const row = (key: string, vsBare: number, p99 = 10, rss = 100 * 2 ** 20) => ({
    key,
    rps: vsBare * 1000,
    p99,
    vsBare,
    rss,
  });

  test("judges each goal from the run and says which were not measured", () => {
    const lines = catalogGoals([row("products", 0.2), row("products-trpc", 0.1)], [], {
      products: 10_000,
      latencyConnections: 0,
    });
    expect(lines).toContain("- Cached list page (REST) ≥ 15.0% of bare: 20.0%: met");
    expect(lines).toContain("- tRPC's same page ≥ 80% of REST's: 50.0%: **missed**");
    expect(lines).toContain("- Uncached filtered list page ≥ 2.0% of bare: not measured (target absent)");
    expect(lines.filter((l) => l.endsWith("applies at 250,000 products")).length).toBe(3);
  });

  test("at 250,000 products, p99 at 10 connections and RSS", () => {
    const lines = catalogGoals(
      [row("products", 0.2)],
      [row("products", 0.2, 12), row("filtered", 0.02, 60, 300 * 2 ** 20)],
      {
        products: 250_000,
        latencyConnections: 10,
      },
    );
    expect(lines).toContain(
      "- List and filter p99 < 50 ms at 10 connections: products 12.0 ms, filtered 60.0 ms: **missed**",
    );
    expect(lines).toContain("- Search p99 < 100 ms at 10 connections: not measured (targets absent)");
    expect(lines).toContain("- Server RSS under load < 250 MB: max 300 MB: **missed**");
  });
});
