// bench/RESULTS.md keeps one section per catalog size ("## 10,000 products",
// "## 250,000 products"): a run replaces its own size's section and keeps the others.

const HEADER =
  "# Cartwright HTTP benchmark\n\nWritten by `bun run bench`; one section per catalog size (`--products`).";
const begin = (products: number) => `<!-- bench products=${products} -->`;
const END = "<!-- /bench -->";
const BLOCK = /<!-- bench products=(\d+) -->\n[\s\S]*?<!-- \/bench -->\n?/g;

/** The file with this run's section in place of the previous one for the same size, sections ordered by size. */
export function mergeResults(existing: string, products: number, section: string): string {
  const blocks = new Map<number, string>();
  for (const m of existing.matchAll(BLOCK)) blocks.set(Number(m[1]), m[0].trimEnd());
  blocks.set(products, `${begin(products)}\n${section.trimEnd()}\n${END}`);
  const ordered = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
  // A file from before the sections (one run, no markers) stays below them, its headings one level down.
  const legacy = existing.includes(END) || !existing.trim() ? "" : existing.replace(/^(#+) /gm, "##$1 ").trim();
  const earlier = legacy ? ["## Earlier results (before the catalog targets)", "", legacy] : [];
  return `${[HEADER, ...ordered, ...earlier].join("\n\n")}\n`;
}
