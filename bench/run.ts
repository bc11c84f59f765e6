import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Instance, type Result } from "autocannon";
import type { Subprocess } from "bun";
import { SHARED_DIR } from "../src/db/embedded";
import { chooseDataDir } from "../src/db/embedded/data-dir";
import { postgresUser } from "../src/db/embedded/system-user";
import { freePort } from "../src/lib/ports";

// `bun run bench`: starts Cartwright (embedded Postgres in its own data dir, or
// DATABASE_URL / REDIS_URL from the environment) and a bare Hono server on
// loopback, drives each target with autocannon (warm-up, then a measured run),
// writes bench/RESULTS.md, and always stops both servers. See bench/README.md.

const ROOT = resolve(import.meta.dir, "..");
const TMP = resolve(ROOT, "bench/.tmp");
const GOAL = 0.4;
const HELP = `Usage: bun run bench [--rounds n] [--duration s] [--warmup s] [--connections n] [--only a,b]
                     [--runner bun|node|wrk] [--log-level level] [--out file]

  --rounds       rounds; each measures every target once (BENCH_ROUNDS, default 3, 1-20).
                 The table shows medians, and "vs bare" is the median of each round's ratio,
                 so a noisy neighbour slowing one round does not skew the comparison.
  --duration     measured seconds per target and round (BENCH_DURATION, default 5, 1-600)
  --warmup       warm-up seconds per target, unmeasured (BENCH_WARMUP, default 2, 0-120)
  --connections  concurrent keep-alive connections      (BENCH_CONNECTIONS, default 50, 1-1000)
  --only         comma-separated targets: bare,health,categories,trpc,me,customers-key,customers-session
                 (default all)
  --runner       load generator (BENCH_RUNNER), always in a process of its own:
                 wrk = wrk from PATH (the default when installed: apt-get install wrk),
                 node = autocannon's CLI under node (the default without wrk),
                 bun = autocannon inside this Bun process (it competes with the server for CPU)
  --log-level    the server's LOG_LEVEL (BENCH_LOG_LEVEL, default warn)
  --out          results file (default bench/RESULTS.md)

DATABASE_URL and REDIS_URL, when set, are passed to the server; otherwise it uses an
embedded Postgres under .cartwright/bench-postgres (seeded on first run).`;

// ---------------------------------------------------------------- options

interface Options {
  rounds: number;
  duration: number;
  warmup: number;
  connections: number;
  only: string[] | null;
  runner: "bun" | "node" | "wrk";
  logLevel: string;
  out: string;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw.replace(/s$/, ""));
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

function readOptions(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rounds: { type: "string", short: "r" },
      duration: { type: "string", short: "d" },
      warmup: { type: "string", short: "w" },
      connections: { type: "string", short: "c" },
      only: { type: "string" },
      runner: { type: "string" },
      "log-level": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.error(HELP);
    process.exit(0);
  }
  const env = process.env;
  // wrk in its own process unless told otherwise: a generator in Bun measured the bare route at
  // a sixth of wrk's rate on the same machine, understating every ratio.
  const runner = values.runner ?? env.BENCH_RUNNER ?? (Bun.which("wrk") ? "wrk" : "node");
  if (runner !== "bun" && runner !== "node" && runner !== "wrk") fail("--runner must be bun, node or wrk");
  if (runner !== "bun" && !Bun.which(runner)) fail(`--runner ${runner}: \`${runner}\` is not on PATH`);
  const logLevel = values["log-level"] ?? env.BENCH_LOG_LEVEL ?? "warn";
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) fail("bad --log-level");
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : null;
  for (const key of only ?? []) {
    if (!TARGET_KEYS.includes(key)) fail(`unknown target "${key}" (targets: ${TARGET_KEYS.join(", ")})`);
  }
  return {
    rounds: intOption("rounds", values.rounds ?? env.BENCH_ROUNDS, 3, 1, 20),
    duration: intOption("duration", values.duration ?? env.BENCH_DURATION, 5, 1, 600),
    warmup: intOption("warmup", values.warmup ?? env.BENCH_WARMUP, 2, 0, 120),
    connections: intOption("connections", values.connections ?? env.BENCH_CONNECTIONS, 50, 1, 1000),
    only,
    runner,
    logLevel,
    out: resolve(ROOT, values.out ?? "bench/RESULTS.md"),
  };
}

// ---------------------------------------------------------------- child servers

interface Child {
  name: string;
  proc: Subprocess;
  logFile: string;
}

const children: Child[] = [];
let currentLoad: Instance | Subprocess | null = null;
let cleaning: Promise<void> | null = null;
let interrupted: string | null = null;

const running = (proc: Subprocess) => proc.exitCode === null && proc.signalCode === null;

function startChild(name: string, cmd: string[], env: Record<string, string | undefined>): Child {
  const logFile = resolve(TMP, `${name}.log`);
  const fd = openSync(logFile, "w");
  const proc = Bun.spawn(cmd, { cwd: ROOT, env, stdin: "ignore", stdout: fd, stderr: fd });
  closeSync(fd);
  const child = { name, proc, logFile };
  children.push(child);
  return child;
}

/** SIGTERM, wait for the exit (the server stops its embedded Postgres last), SIGKILL if it hangs. */
async function stopChild(child: Child, graceMs = 20_000): Promise<void> {
  if (!running(child.proc)) return;
  child.proc.kill("SIGTERM");
  const exited = await Promise.race([child.proc.exited.then(() => true), Bun.sleep(graceMs).then(() => false)]);
  if (!exited) {
    console.error(`bench: ${child.name} did not stop within ${graceMs / 1000} s: killing it`);
    child.proc.kill("SIGKILL");
    await child.proc.exited;
  }
}

function stopAll(): Promise<void> {
  cleaning ??= (async () => {
    if (currentLoad) {
      if ("pid" in currentLoad) currentLoad.kill("SIGTERM");
      else currentLoad.stop();
    }
    // The bare server first (instant), then Cartwright, which drains and stops Postgres.
    for (const child of [...children].reverse()) await stopChild(child);
  })();
  return cleaning;
}

function logTail(child: Child, lines = 30): string {
  try {
    return readFileSync(child.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
async function waitFor200(child: Child, url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!running(child.proc)) {
      throw new Error(`${child.name} exited (code ${child.proc.exitCode}) before ${url} was ready:\n${logTail(child)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return res;
      last = `HTTP ${res.status}`;
      await res.arrayBuffer();
    } catch (err) {
      last = String(err);
    }
    await Bun.sleep(250);
  }
  throw new Error(`${url} not ready after ${timeoutMs / 1000} s (${last}):\n${logTail(child)}`);
}

async function get200(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

// ---------------------------------------------------------------- load

const TARGET_KEYS = ["bare", "health", "categories", "trpc", "me", "customers-key", "customers-session"];

interface Target {
  key: string;
  label: string;
  url: string;
  /** Sent with every request (the credentials of the signed-in targets). */
  headers?: Record<string, string>;
}

interface Measured {
  target: Target;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  raw: unknown;
}

const tty = process.stderr.isTTY;
const say = (line: string) => process.stderr.write(`${line}\n`);

function progress(prefix: string, phase: string, total: number) {
  let seconds = 0;
  if (tty) process.stderr.write(`${prefix} ${phase} 0/${total} s`);
  else say(`${prefix} ${phase} ${total} s`);
  return {
    tick() {
      seconds = Math.min(seconds + 1, total);
      if (tty) process.stderr.write(`\r${prefix} ${phase} ${seconds}/${total} s`);
    },
    done(summary = "") {
      if (tty) process.stderr.write(`\r${prefix} ${phase} ${total}/${total} s${summary}\n`);
      else if (summary) say(`${prefix} ${phase} done${summary}`);
    },
  };
}

/** One measured run, whichever tool produced it. */
interface Sample {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  raw: unknown;
}

type Driver = (target: Target, seconds: number, connections: number, onTick: () => void) => Promise<Sample>;

const headerArgs = (flag: string, target: Target) =>
  Object.entries(target.headers ?? {}).flatMap(([name, value]) => [flag, `${name}: ${value}`]);

const fromAutocannon = (r: Result): Sample => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  ok: r["2xx"],
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  raw: r,
});

/** autocannon's programmatic API, in this process (works under Bun). */
const runInProcess: Driver = (target, seconds, connections, onTick) =>
  new Promise((done, reject) => {
    const opts = { url: target.url, headers: target.headers, connections, duration: seconds, timeout: 10 };
    const instance = autocannon(opts, (err, result) => {
      currentLoad = null;
      if (err) reject(err);
      else done(fromAutocannon(result));
    });
    currentLoad = instance;
    instance.on("tick", onTick);
  });

/** Runs a load tool as a child process and returns its stdout. */
async function runTool(cmd: string[], onTick: () => void): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  currentLoad = proc;
  const timer = setInterval(onTick, 1000);
  try {
    const [out, err, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new Error(`${cmd[0]} exited with code ${code}: ${(err || out).trim().slice(0, 300)}`);
    return out;
  } finally {
    clearInterval(timer);
    currentLoad = null;
  }
}

/** autocannon's CLI under Node (`--runner node`), to keep the load generator off Bun. */
const runInNode: Driver = async (target, seconds, connections, onTick) => {
  const cli = resolve(ROOT, "node_modules/autocannon/autocannon.js");
  const args = ["--json", "-c", String(connections), "-d", String(seconds), "-t", "10", ...headerArgs("-H", target)];
  args.push(target.url);
  return fromAutocannon(JSON.parse(await runTool(["node", cli, ...args], onTick)) as Result);
};

/** wrk (`--runner wrk`, when it is on PATH): C, one thread, sub-millisecond latency percentiles. */
const runWrk: Driver = async (target, seconds, connections, onTick) => {
  const out = await runTool(
    [
      "wrk",
      "-t1",
      `-c${connections}`,
      `-d${seconds}s`,
      "--timeout",
      "10s",
      "--latency",
      ...headerArgs("-H", target),
      target.url,
    ],
    onTick,
  );
  const ms = (pct: string) => {
    const m = out.match(new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m"));
    if (!m) return Number.NaN;
    const unit = m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1;
    return Number(m[1]) * unit;
  };
  const num = (re: RegExp) => Number(out.match(re)?.[1] ?? 0);
  const total = num(/^\s*(\d+) requests in/m);
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: num(/^Requests\/sec:\s+([\d.]+)/m),
    p50: ms("50"),
    p99: ms("99"),
    ok: total - non2xx,
    non2xx,
    errors: socket ? socket.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
    raw: out,
  };
};

const DRIVERS: Record<Options["runner"], Driver> = { bun: runInProcess, node: runInNode, wrk: runWrk };

async function measure(target: Target, step: string, opts: Options): Promise<Measured> {
  const prefix = `[${step}] ${target.label}:`;
  const drive = DRIVERS[opts.runner];
  if (opts.warmup > 0) {
    const p = progress(prefix, "warm-up", opts.warmup);
    await drive(target, opts.warmup, opts.connections, p.tick);
    p.done();
  }
  const p = progress(prefix, "measuring", opts.duration);
  const s = await drive(target, opts.duration, opts.connections, p.tick);
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  const m: Measured = { target, rps: s.rps, p50: s.p50, p99: s.p99, errors: s.non2xx + s.errors, raw: s.raw };
  p.done(`: ${fmtInt(m.rps)} req/s, p50 ${fmtMs(m.p50)} ms, p99 ${fmtMs(m.p99)} ms, ${m.errors} errors`);
  if (s.ok === 0) throw new Error(`${target.label}: no 2xx answers (non-2xx ${s.non2xx}, errors ${s.errors})`);
  return m;
}

// ---------------------------------------------------------------- report

interface Summary {
  target: Target;
  rps: number;
  rpsRange: [number, number];
  p50: number;
  p99: number;
  errors: number;
  /** Median over rounds of this target's req/s over the bare route's in the same round. */
  vsBare: number | null;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

function summarize(targets: Target[], rounds: Measured[][]): Summary[] {
  return targets.map((target) => {
    const runs = rounds.map((round) => round.find((m) => m.target.key === target.key) as Measured);
    const rps = runs.map((m) => m.rps);
    const ratios = rounds.flatMap((round) => {
      const bare = round.find((m) => m.target.key === "bare");
      const mine = round.find((m) => m.target.key === target.key);
      return bare && mine ? [mine.rps / bare.rps] : [];
    });
    return {
      target,
      rps: median(rps),
      rpsRange: [Math.min(...rps), Math.max(...rps)],
      p50: median(runs.map((m) => m.p50)),
      p99: median(runs.map((m) => m.p99)),
      errors: runs.reduce((n, m) => n + m.errors, 0),
      vsBare: ratios.length > 0 ? median(ratios) : null,
    };
  });
}

const fmtInt = (n: number) => Math.round(n).toLocaleString("en-US");
/** autocannon reports whole milliseconds: 0 means under 1 ms. */
const fmtMs = (n: number) => (Number.isNaN(n) ? "?" : n === 0 ? "<1" : Number.isInteger(n) ? String(n) : n.toFixed(2));

function machineInfo() {
  let model = "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) model = line.split(":")[1]?.trim() || model;
  } catch {
    model = cpus()[0]?.model ?? model;
  }
  return {
    cpus: cpus().length,
    model,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: `${process.platform} ${release()}`,
    bun: `${Bun.version} (${Bun.revision.slice(0, 9)})`,
  };
}

function generatorName(runner: Options["runner"]): string {
  const version = (cmd: string[]) => {
    const out = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
    return `${out.stdout.toString()}${out.stderr.toString()}`.trim().split("\n")[0] ?? "";
  };
  if (runner === "node") return `autocannon 9.0.0 (CLI under node ${version(["node", "--version"])})`;
  if (runner === "wrk") return `${version(["wrk", "--version"]).replace(/ Copyright.*/, "")}, 1 thread`;
  return "autocannon 9.0.0 (programmatic, in the bench process under Bun)";
}

function commandLine(): string {
  const via = process.env.npm_lifecycle_event === "bench" ? "bun run bench" : "bun bench/run.ts";
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);
  const env = Object.keys(process.env)
    .filter((k) => k.startsWith("BENCH_") || k === "DATABASE_URL" || k === "REDIS_URL")
    .sort()
    .map((k) => (k.endsWith("_URL") ? `${k}=<set>` : `${k}=${quote(process.env[k] ?? "")}`));
  return [...env, via, ...process.argv.slice(2).map(quote)].join(" ");
}

function report(results: Summary[], opts: Options, context: Record<string, string>): string {
  const machine = machineInfo();
  const ratio = (m: Summary) => (m.vsBare === null ? "n/a" : `${Math.round(m.vsBare * 100)}%`);
  const rows = results.map(
    (m) =>
      `| ${m.target.label} | ${fmtInt(m.rps)} | ${fmtInt(m.rpsRange[0])}–${fmtInt(m.rpsRange[1])} | ${fmtMs(m.p50)} | ${fmtMs(m.p99)} | ${fmtInt(m.errors)} | ${ratio(m)} |`,
  );
  const cached = results.find((m) => m.target.key === "categories");
  let goal = "Goal (cached categories read ≥ 40% of the bare route's req/s): not measured in this run.";
  if (cached?.vsBare != null) {
    const r = cached.vsBare;
    goal = `**Goal ${r >= GOAL ? "met" : "not met"}**: the cached \`GET /api/v1/categories\` read reached a median ${(r * 100).toFixed(1)}% of the bare route's req/s over ${opts.rounds} rounds (goal ≥ ${GOAL * 100}%).`;
  }
  return [
    "# Cartwright HTTP benchmark",
    "",
    `Date: ${new Date().toISOString()}`,
    "",
    "Command:",
    "",
    "```sh",
    commandLine(),
    "```",
    "",
    "## Machine and setup",
    "",
    `- CPU: ${machine.cpus} × ${machine.model}; memory ${machine.memory}; ${machine.kernel}`,
    `- Bun ${machine.bun}`,
    `- Database: ${context.database}`,
    `- Cache store: ${context.redis}`,
    `- Server: \`bun src/index.ts\`, LOG_LEVEL=${opts.logLevel}, WORKER_ENABLED=true, API_RATE_LIMIT_PER_MINUTE=1000000000 (the limiter counts every request but never refuses), on 127.0.0.1`,
    `- Load: ${context.generator}, ${opts.connections} keep-alive connections; ${opts.rounds} rounds, each target in each round: ${opts.warmup} s warm-up then ${opts.duration} s measured; load generator, servers and Postgres share the same ${machine.cpus} CPUs`,
    `- Payload: \`GET /api/v1/categories\` is ${context.bytes} bytes (${context.roots} root categories); the bare route answers the same JSON`,
    "",
    "## Results",
    "",
    "| target | req/s (median) | req/s (range) | p50 ms | p99 ms | errors | vs bare (median) |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    opts.runner === "wrk"
      ? "req/s is wrk's requests over the measured time; errors counts non-2xx answers and socket errors (incl. timeouts)."
      : "req/s is autocannon's average of per-second samples; errors counts non-2xx answers, socket errors and timeouts.",
    "",
    goal,
    "",
    ...signedInGoals(results, Boolean(context.redis?.startsWith("redis"))),
  ].join("\n");
}

/** The signed-in read goals (issue 12 item 6), from the medians of this run. */
function signedInGoals(results: Summary[], onRedis: boolean): string[] {
  const rps = (key: string) => results.find((m) => m.target.key === key)?.rps;
  const line = (
    what: string,
    mine: number | undefined,
    base: number | undefined,
    goal: string,
    met: (r: number) => boolean,
  ) => {
    if (mine === undefined || base === undefined) return [];
    const r = mine / base;
    return [`- ${what}: ${(r * 100).toFixed(1)}% (goal ${goal}): ${met(r) ? "met" : "not met"}`];
  };
  const lines = [
    ...line("`GET /health` vs bare", rps("health"), rps("bare"), "≥ 60%", (r) => r >= 0.6),
    ...line(
      "bearer `GET /api/v1/me` vs `/health`",
      rps("me"),
      rps("health"),
      onRedis ? "≥ 25% on Redis" : "≥ 35% on the in-process store",
      (r) => r >= (onRedis ? 0.25 : 0.35),
    ),
    ...line(
      "API-key customers read vs the session's",
      rps("customers-key"),
      rps("customers-session"),
      "within 10%",
      (r) => Math.abs(1 - r) <= 0.1,
    ),
  ];
  return lines.length > 0 ? ["Signed-in reads (ratios of median req/s):", "", ...lines, ""] : [];
}

/** Signs in as the seeded demo admin and makes an API key with customers:read: the signed-in targets' credentials. */
async function credentials(api: string): Promise<{ session: string; apiKey: string }> {
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 201)
      throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const signedIn = await post("/api/v1/auth/sessions", { ...DEMO_ADMIN, session: "bearer" });
  const session = signedIn.token as string;
  const key = await post(
    "/api/v1/admin/api-keys",
    { name: `bench ${new Date().toISOString()}`, scopes: ["customers:read"] },
    { authorization: `Bearer ${session}` },
  );
  return { session, apiKey: key.secret as string };
}

/** The seed's demo admin (src/seed). */
const DEMO_ADMIN = { email: "admin@cartwright.test", password: "cartwright-admin-demo" };

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const opts = readOptions();
  mkdirSync(TMP, { recursive: true });
  const [apiPort, pgPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const api = `http://127.0.0.1:${apiPort}`;
  const bareBase = `http://127.0.0.1:${barePort}`;
  // Its own data, placed as the server places its default (a 0700 checkout as root moves it out);
  // none at all when DATABASE_URL names the database.
  const pgDir = process.env.DATABASE_URL
    ? undefined
    : chooseDataDir({
        requested: undefined,
        fallback: resolve(ROOT, ".cartwright/bench-postgres"),
        user: postgresUser(),
        sharedDir: SHARED_DIR,
      }).dir;

  say(`bench: starting Cartwright on ${api} (${pgDir ? `embedded Postgres in ${pgDir}` : "DATABASE_URL"})`);
  say(`bench: load generator: ${generatorName(opts.runner)}`);
  const server = startChild("cartwright", ["bun", "src/index.ts"], {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(apiPort),
    LOG_LEVEL: opts.logLevel,
    LOG_FORMAT: "json",
    WORKER_ENABLED: "true",
    // One client address sends everything: a limit it never reaches, so the limiter is counted but never answers.
    API_RATE_LIMIT_PER_MINUTE: "1000000000",
    ...(pgDir && { EMBEDDED_PG_DIR: pgDir, EMBEDDED_PG_PORT: String(pgPort) }),
  });
  const started = performance.now();
  const ready = (await (await waitFor200(server, `${api}/ready`, 180_000)).json()) as {
    modes?: Record<string, string>;
  };
  say(`bench: Cartwright ready in ${((performance.now() - started) / 1000).toFixed(1)} s (log: ${server.logFile})`);

  const body = await get200(`${api}/api/v1/categories`);
  await get200(`${api}/health`);
  await get200(`${api}/trpc/catalog.categories.list`);
  const bodyFile = resolve(TMP, "categories.json");
  await Bun.write(bodyFile, body);
  const parsed = JSON.parse(body) as { items?: unknown[] };
  if (!parsed.items?.length) say("bench: warning: the category tree is empty (the data dir was not seeded)");

  const bare = startChild("bare-server", ["bun", "bench/bare-server.ts"], {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(barePort),
    BARE_BODY_FILE: bodyFile,
  });
  const bareBody = await (await waitFor200(bare, `${bareBase}/api/v1/categories`, 30_000)).text();
  if (bareBody !== body) say("bench: warning: the bare server's body differs from the real one");

  const { session, apiKey } = await credentials(api);
  const asSession = { authorization: `Bearer ${session}` };
  const asKey = { authorization: `Bearer ${apiKey}` };
  const customers = `${api}/api/v1/admin/customers?limit=20`;
  const all: Target[] = [
    { key: "bare", label: "bare Hono (same JSON body)", url: `${bareBase}/api/v1/categories` },
    { key: "health", label: "GET /health", url: `${api}/health` },
    { key: "categories", label: "GET /api/v1/categories (cached)", url: `${api}/api/v1/categories` },
    { key: "trpc", label: "tRPC GET /trpc/catalog.categories.list", url: `${api}/trpc/catalog.categories.list` },
    { key: "me", label: "bearer GET /api/v1/me", url: `${api}/api/v1/me`, headers: asSession },
    { key: "customers-key", label: "API key GET /api/v1/admin/customers?limit=20", url: customers, headers: asKey },
    {
      key: "customers-session",
      label: "session GET /api/v1/admin/customers?limit=20",
      url: customers,
      headers: asSession,
    },
  ];
  const targets = all.filter((t) => !opts.only || opts.only.includes(t.key));
  const rounds: Measured[][] = [];
  for (let r = 1; r <= opts.rounds; r++) {
    const round: Measured[] = [];
    for (const [i, target] of targets.entries()) {
      if (interrupted) return;
      round.push(await measure(target, `round ${r}/${opts.rounds}, ${i + 1}/${targets.length}`, opts));
      await Bun.sleep(500);
    }
    rounds.push(round);
  }
  const results = summarize(targets, rounds);

  const context = {
    database: ready.modes?.database ?? "unknown",
    redis: ready.modes?.redis ?? "unknown",
    bytes: String(Buffer.byteLength(body)),
    roots: String(parsed.items?.length ?? 0),
    generator: generatorName(opts.runner),
  };
  await Bun.write(opts.out, report(results, opts, context));
  await Bun.write(resolve(TMP, "last-run.json"), JSON.stringify({ opts, context, rounds }, null, 2));
  say(`bench: wrote ${opts.out}`);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    say(`\nbench: ${signal}: stopping the servers`);
    void stopAll().then(() => process.exit(130));
  });
}

let code = 0;
try {
  await main();
} catch (err) {
  if (!interrupted) console.error(`\nbench: ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  await stopAll();
}
process.exit(interrupted ? 130 : code);
