import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import type { Logger } from "../../lib/logger";

export function readPostmasterPid(dir: string): number | null {
  try {
    const pid = Number(readFileSync(`${dir}/postmaster.pid`, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Running, and not a zombie: `bun --watch` re-executes in the same pid, which never reaps the old postmaster. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** A postmaster orphaned by a SIGKILLed parent (or its pid file) blocks the next start. */
export async function stopStalePostmaster(dir: string, log: Logger): Promise<void> {
  const pid = readPostmasterPid(dir);
  if (!pid) return;
  if (isAlive(pid) && isPostmasterOf(pid, dir)) {
    log.warn({ pid }, "stopping a postgres left running by an earlier run (crash or watch reload)");
    process.kill(pid, "SIGINT");
    for (let i = 0; i < 100 && isAlive(pid); i++) await Bun.sleep(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  rmSync(`${dir}/postmaster.pid`, { force: true });
}

function isPostmasterOf(pid: number, dir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
  } catch {
    // No procfs (macOS): trust the pid file.
    return true;
  }
}

/**
 * A detached shell that stops the postmaster if this process dies without
 * shutting down (SIGKILL, OOM): no orphan Postgres outlives its server.
 */
export function watchParent(postmasterPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -INT ${postmasterPid} 2>/dev/null`;
  spawn("sh", ["-c", script], { detached: true, stdio: "ignore" }).unref();
}
