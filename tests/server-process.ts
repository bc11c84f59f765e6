import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Subprocess, spawn } from "bun";
import { DEMO_ACCOUNTS } from "../src/seed/accounts";
import { freePort } from "./services";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ServerProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  port: number;
  url: string;
  output(): string;
}

/** `bun src/index.ts` as a user runs it, with only the environment given (none of ours leaks in). */
export async function startServer(env: Record<string, string>, cwd = ROOT): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(["bun", "src/index.ts"], {
    cwd,
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

/** Signs in as the seeded demo admin and creates a category: proof that a server holds the demo store and writes. */
export async function createCategoryAsDemoAdmin(baseUrl: string, name: string): Promise<number> {
  const [demoAdmin] = DEMO_ACCOUNTS;
  const signIn = await fetch(`${baseUrl}/api/v1/auth/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: demoAdmin.email, password: demoAdmin.password, session: "bearer" }),
  });
  if (signIn.status !== 201) throw new Error(`demo admin sign-in answered ${signIn.status}`);
  const { token } = await signIn.json();
  const created = await fetch(`${baseUrl}/api/v1/admin/categories`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  return created.status;
}

export interface Exited {
  code: number | null;
  /** False when it had to be killed at the deadline. */
  exitedByItself: boolean;
  stderr: string;
  output: string;
  ms: number;
}

/** Runs a command to its end with only `env` (plus PATH and HOME), killing it at `deadlineMs`. */
export async function runToExit(
  cmd: string[],
  env: Record<string, string>,
  deadlineMs: number,
  cwd = ROOT,
): Promise<Exited> {
  const started = performance.now();
  const proc = spawn(cmd, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const killer = setTimeout(() => proc.kill("SIGKILL"), deadlineMs);
  const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  clearTimeout(killer);
  return {
    code,
    exitedByItself: proc.signalCode !== "SIGKILL",
    stderr,
    output: stdout + stderr,
    ms: performance.now() - started,
  };
}
