// bench/RESULTS.md keeps one section per catalog size ("## 10,000 products",
// "## 250,000 products") and per `--only` selection: a run replaces its own
// section and keeps the others, so measuring a few targets leaves the full run's.

const HEADER =
  "# Cartwright HTTP benchmark\n\nWritten by `bun run bench`; one section per catalog size (`--products`).";
const begin = (products: number, only: string) => `<!-- bench products=${products}${only ? ` only=${only}` : ""} -->`;
const END = "<!-- /bench -->";
const BLOCK = /<!-- bench products=(\d+)(?: only=(\S+))? -->\n[\s\S]*?<!-- \/bench -->\n?/g;

/**
 * The file with this run's section in place of the previous one for the same size and target
 * selection (`only`, none for every target), ordered by size, full runs first.
 */
export function mergeResults(
  existing: string,
  products: number,
  section: string,
  only: readonly string[] = [],
): string {
  const blocks = new Map<string, { products: number; only: string; block: string }>();
  for (const m of existing.matchAll(BLOCK)) {
    blocks.set(`${m[1]} ${m[2] ?? ""}`, { products: Number(m[1]), only: m[2] ?? "", block: m[0].trimEnd() });
  }
  const selection = only.join(",");
  blocks.set(`${products} ${selection}`, {
    products,
    only: selection,
    block: `${begin(products, selection)}\n${section.trimEnd()}\n${END}`,
  });
  const ordered = [...blocks.values()]
    .sort((a, b) => a.products - b.products || a.only.localeCompare(b.only))
    .map((b) => b.block);
  // A file from before the sections (one run, no markers) stays below them, its headings one level down.
  const legacy = existing.includes(END) || !existing.trim() ? "" : existing.replace(/^(#+) /gm, "##$1 ").trim();
  const earlier = legacy ? ["## Earlier results (before the catalog targets)", "", legacy] : [];
  return `${[HEADER, ...ordered, ...earlier].join("\n\n")}\n`;
}
