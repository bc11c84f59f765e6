import type { Progress } from "./progress";

const WIDTH = 30;

/**
 * A Progress that draws one bar per step on a terminal (rate and ETA for long
 * steps), and on anything else (a log file, CI) prints a line per tenth and the
 * end of each step instead of carriage returns.
 */
export function progressBar(out: NodeJS.WriteStream = process.stderr): Progress & { end(): void } {
  let current = "";
  let started = 0;
  let lastTenth = -1;
  const draw: Progress = (step, done, total) => {
    if (step !== current) {
      if (current && out.isTTY) out.write("\n");
      current = step;
      started = performance.now();
      lastTenth = -1;
    }
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 && done < total ? `, ${Math.ceil((total - done) / rate)} s left` : "";
    const numbers = `${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
    const timing = total >= 1000 ? ` ${seconds.toFixed(1)} s${eta}` : "";
    if (out.isTTY) {
      const filled = total > 0 ? Math.round((done / total) * WIDTH) : WIDTH;
      out.write(
        `\r  ${step.padEnd(10)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${numbers}${timing}\x1b[K`,
      );
      return;
    }
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
    if (tenth > lastTenth && (done === total || total >= 1000)) {
      lastTenth = tenth;
      out.write(`  ${step}: ${numbers}${timing}\n`);
    }
  };
  return Object.assign(draw, {
    end() {
      if (current && out.isTTY) out.write("\n");
      current = "";
    },
  });
}
