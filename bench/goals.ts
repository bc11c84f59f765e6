// The performance goals of issue 14 ("Performance goals"), judged from one run's medians.

export interface GoalInput {
  key: string;
  rps: number;
  p99: number;
  vsBare: number | null;
  rss: number | null;
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const verdict = (met: boolean) => (met ? "met" : "**missed**");

/** One line per goal: met, missed, or why it was not measured. */
export function catalogGoals(
  results: GoalInput[],
  latency: GoalInput[],
  opts: { products: number; latencyConnections: number },
): string[] {
  const find = (rows: GoalInput[], key: string) => rows.find((r) => r.key === key);
  const lines: string[] = [];
  const ratioGoal = (key: string, what: string, goal: number) => {
    const r = find(results, key)?.vsBare;
    lines.push(
      r == null
        ? `- ${what} ≥ ${pct(goal)} of bare: not measured (target absent)`
        : `- ${what} ≥ ${pct(goal)} of bare: ${pct(r)}: ${verdict(r >= goal)}`,
    );
  };
  ratioGoal("products", "Cached list page (REST)", 0.15);
  const rest = find(results, "products")?.rps;
  const trpc = find(results, "products-trpc")?.rps;
  lines.push(
    rest && trpc
      ? `- tRPC's same page ≥ 80% of REST's: ${pct(trpc / rest)}: ${verdict(trpc / rest >= 0.8)}`
      : "- tRPC's same page ≥ 80% of REST's: not measured (target absent)",
  );
  ratioGoal("filtered", "Uncached filtered list page", 0.02);
  ratioGoal("detail", "Product detail by random slug", 0.1);
  ratioGoal("search", "Postgres typo search", 0.006);

  const at = `at ${opts.latencyConnections} connections`;
  const p99Goal = (keys: string[], what: string, ms: number) => {
    if (opts.products < 250_000) return lines.push(`- ${what} p99 < ${ms} ms: applies at 250,000 products`);
    if (opts.latencyConnections === 0) return lines.push(`- ${what} p99 < ${ms} ms: not measured (no latency round)`);
    const rows = keys.map((k) => find(latency, k)).filter((r): r is GoalInput => r !== undefined);
    if (rows.length === 0) return lines.push(`- ${what} p99 < ${ms} ms ${at}: not measured (targets absent)`);
    const worst = Math.max(...rows.map((r) => r.p99));
    return lines.push(
      `- ${what} p99 < ${ms} ms ${at}: ${rows.map((r) => `${r.key} ${r.p99.toFixed(1)} ms`).join(", ")}: ${verdict(worst < ms)}`,
    );
  };
  p99Goal(["products", "filtered"], "List and filter", 50);
  p99Goal(["search"], "Search", 100);
  const rss = [...results, ...latency].reduce((max, r) => Math.max(max, r.rss ?? 0), 0);
  if (opts.products < 250_000) lines.push("- Server RSS under load < 250 MB: applies at 250,000 products");
  else if (rss === 0) lines.push("- Server RSS under load < 250 MB: not measured (no /proc)");
  else
    lines.push(
      `- Server RSS under load < 250 MB: max ${(rss / 2 ** 20).toFixed(0)} MB: ${verdict(rss < 250 * 2 ** 20)}`,
    );
  return lines;
}

/** Issue 15's cart goals: their targets' ratios are to GET /health (their `baseline`). */
export function cartGoals(results: GoalInput[]): string[] {
  return [
    ["cart-read", "A signed-in customer's cart read (5 lines, a code, an automatic promotion)", 0.1],
    ["cart-add", "Adding an item to a cart", 0.04],
  ].map(([key, what, goal]) => {
    const r = results.find((x) => x.key === key)?.vsBare;
    const g = goal as number;
    return r == null
      ? `- ${what} ≥ ${pct(g)} of /health: not measured (target absent)`
      : `- ${what} ≥ ${pct(g)} of /health: ${pct(r)}: ${verdict(r >= g)}`;
  });
}
