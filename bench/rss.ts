import { readFileSync } from "node:fs";

/** Resident memory of process `pid` in bytes (VmRSS in /proc/<pid>/status), or null where there is no /proc. */
export function rssBytes(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples `pid`'s RSS every `everyMs` until stopped; answers the largest sample (null without /proc). */
export function sampleRss(pid: number, everyMs = 200): { stop(): number | null } {
  let max: number | null = rssBytes(pid);
  const timer = setInterval(() => {
    const now = rssBytes(pid);
    if (now !== null && (max === null || now > max)) max = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return max;
    },
  };
}
