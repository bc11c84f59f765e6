import { Presets, SingleBar } from "cli-progress";

export interface Progress {
  /** `done` of the total, and a count to show beside it (rows so far). */
  update(done: number, rows: number): void;
  stop(): void;
}

/**
 * The CLI's progress on stderr (stdout may be the export itself): a bar on a terminal, else a
 * plain line at most every two seconds, so a log or CI keeps a readable trace.
 */
export function progress(label: string, total: number, unit: string): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      { format: `${label} |{bar}| {percentage}% | {rows} rows`, stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(Math.max(total, 1), 0, { rows: 0 });
    return { update: (done, rows) => bar.update(Math.min(done, total), { rows }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(done, rows) {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      console.warn(`${label}: ${done}/${total} ${unit}, ${rows} rows`);
    },
    stop() {},
  };
}
