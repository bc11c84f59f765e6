import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Subprocess, spawn } from "bun";
import { freePort } from "./services";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ServerProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  port: number;
  url: string;
  output(): string;
}

/** `bun src/index.ts` as a user runs it, with only the environment given (none of ours leaks in). */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(["bun", "src/index.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", PORT: String(port), ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) out += new TextDecoder().decode(chunk);
  };
  void collect(proc.stdout);
  void collect(proc.stderr);
  const server = { proc, port, url: `http://127.0.0.1:${port}`, output: () => out };
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    const ok = await fetch(`${server.url}/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return server;
    await Bun.sleep(100);
  }
  proc.kill("SIGKILL");
  throw new Error(`server did not become ready:\n${out}`);
}

/** Pids of live processes whose command line mentions `needle` (e.g. a Postgres data directory). */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(needle) && !cmdline.includes("kill -0")) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await Bun.sleep(100)) {
    if (check()) return true;
  }
  return check();
}
