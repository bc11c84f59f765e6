import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Instance, type Result } from "autocannon";
import type { Subprocess } from "bun";
import { SHARED_DIR } from "../src/db/embedded";
import { chooseDataDir } from "../src/db/embedded/data-dir";
import { postgresUser } from "../src/db/embedded/system-user";
import { freePort } from "../src/lib/ports";
import { CART_TARGET_KEYS, cartTargets } from "./cart-targets";
import { CATALOG_TARGET_KEYS, catalogTargets, LIST_PAGE } from "./catalog-targets";
import { CHECKOUT_KEYS, checkoutReport, measureCheckout } from "./checkout-run";
import { cartGoals, catalogGoals } from "./goals";
import { ok } from "./http";
import type { CatalogSample } from "./prepare-catalog";
import { mergeResults } from "./results-file";
import { sampleRss } from "./rss";
import type { Target } from "./target";

// `bun run bench`: starts Cartwright (embedded Postgres in its own data dir, or
// DATABASE_URL / REDIS_URL from the environment) and a bare Hono server on
// loopback, drives each target with autocannon (warm-up, then a measured run),
// writes bench/RESULTS.md, and always stops both servers. See bench/README.md.

const ROOT = resolve(import.meta.dir, "..");
const TMP = resolve(ROOT, "bench/.tmp");
const GOAL = 0.4;
/** Checkouts in the steady checkout run. */
const BENCH_ORDERS = 3000;
const HELP = `Usage: bun run bench [--products n] [--rounds n] [--duration s] [--warmup s] [--connections n]
                     [--latency-connections n] [--only a,b] [--runner bun|node|wrk] [--log-level level] [--out file]

  --products     catalog size (BENCH_PRODUCTS, default 10000, 0-5000000): the bench database is
                 seeded to this many products through the seed's bulk path before the server starts
                 (only the missing ones are added; each size has its own embedded data dir)

  --rounds       rounds; each measures every target once (BENCH_ROUNDS, default 3, 1-20).
                 The table shows medians, and "vs bare" is the median of each round's ratio,
                 so a noisy neighbour slowing one round does not skew the comparison.
  --duration     measured seconds per target and round (BENCH_DURATION, default 5, 1-600)
  --warmup       warm-up seconds per target, unmeasured (BENCH_WARMUP, default 2, 0-120)
  --connections  concurrent keep-alive connections      (BENCH_CONNECTIONS, default 50, 1-1000)
  --latency-connections
                 also measure the catalog targets at this many connections for p50/p99
                 (BENCH_LATENCY_CONNECTIONS; default 10 from 100,000 products, else 0 = off)
  --only         comma-separated targets (default all): bare,health,categories,trpc,me,customers-key,
                 customers-session,bare-list,products,products-trpc,filtered,detail,search,
                 cart-read,cart-add,checkout-race,checkout (the last two are scripts over REST, after the rounds)
  --runner       load generator (BENCH_RUNNER), always in a process of its own:
                 wrk = wrk from PATH (the default when installed: apt-get install wrk),
                 node = autocannon's CLI under node (the default without wrk),
                 bun = autocannon inside this Bun process (it competes with the server for CPU)
  --log-level    the server's LOG_LEVEL (BENCH_LOG_LEVEL, default warn)
  --out          results file (default bench/RESULTS.md)

DATABASE_URL and REDIS_URL, when set, are passed to the server; otherwise it uses an
embedded Postgres under .cartwright/bench-postgres-<products>.

Targets whose route answers 404 are skipped ("route missing: ..."); the Lua-driven
catalog targets (filtered, detail, search) need wrk.`;

// ---------------------------------------------------------------- options

interface Options {
  products: number;
  latencyConnections: number;
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
      products: { type: "string", short: "p" },
      "latency-connections": { type: "string" },
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
  const products = intOption("products", values.products ?? env.BENCH_PRODUCTS, 10_000, 0, 5_000_000);
  const latencyConnections = intOption(
    "latency-connections",
    values["latency-connections"] ?? env.BENCH_LATENCY_CONNECTIONS,
    products >= 100_000 ? 10 : 0,
    0,
    1000,
  );
  return {
    products,
    latencyConnections,
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

const TARGET_KEYS = [
  "bare",
  "health",
  "categories",
  "trpc",
  "me",
  "customers-key",
  "customers-session",
  ...CATALOG_TARGET_KEYS,
  ...CART_TARGET_KEYS,
  ...CHECKOUT_KEYS,
];

interface Measured {
  target: Target;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The Cartwright server's largest RSS during the measured run, in bytes. */
  rss: number | null;
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
      ...(target.script ? ["-s", target.script.file] : []),
      target.url,
      ...(target.script ? ["--", target.script.data] : []),
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

async function measure(
  target: Target,
  step: string,
  opts: Options,
  serverPid: number,
  connections = opts.connections,
): Promise<Measured> {
  const prefix = `[${step}] ${target.label}${connections === opts.connections ? "" : ` (-c${connections})`}:`;
  const drive = DRIVERS[opts.runner];
  if (opts.warmup > 0) {
    const p = progress(prefix, "warm-up", opts.warmup);
    await drive(target, opts.warmup, connections, p.tick);
    p.done();
  }
  const p = progress(prefix, "measuring", opts.duration);
  const rss = sampleRss(serverPid);
  const s = await drive(target, opts.duration, connections, p.tick);
  const m: Measured = {
    target,
    rps: s.rps,
    p50: s.p50,
    p99: s.p99,
    errors: s.non2xx + s.errors,
    rss: rss.stop(),
    raw: s.raw,
  };
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
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
  /** Median over rounds of this target's req/s over its bare route's in the same round. */
  vsBare: number | null;
  rss: number | null;
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
      const bare = round.find((m) => m.target.key === (target.baseline ?? "bare"));
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
      rss: runs.reduce<number | null>(
        (max, m) => (m.rss !== null && (max === null || m.rss > max) ? m.rss : max),
        null,
      ),
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

function report(
  results: Summary[],
  latency: Summary[],
  skipped: string[],
  opts: Options,
  context: Record<string, string>,
  checkout: string[],
): string {
  const machine = machineInfo();
  const ratio = (m: Summary) => (m.vsBare === null ? "n/a" : `${Math.round(m.vsBare * 100)}%`);
  const mb = (bytes: number | null) => (bytes === null ? "?" : (bytes / 2 ** 20).toFixed(0));
  const table = (rows: Summary[]) => [
    "| target | req/s (median) | req/s (range) | p50 ms | p99 ms | errors | vs bare (median) | server RSS max MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (m) =>
        `| ${m.target.label} | ${fmtInt(m.rps)} | ${fmtInt(m.rpsRange[0])}–${fmtInt(m.rpsRange[1])} | ${fmtMs(m.p50)} | ${fmtMs(m.p99)} | ${fmtInt(m.errors)} | ${ratio(m)} | ${mb(m.rss)} |`,
    ),
  ];
  const cached = results.find((m) => m.target.key === "categories");
  let goal = "Goal (cached categories read ≥ 40% of the bare route's req/s): not measured in this run.";
  if (cached?.vsBare != null) {
    const r = cached.vsBare;
    goal = `**Goal ${r >= GOAL ? "met" : "not met"}**: the cached \`GET /api/v1/categories\` read reached a median ${(r * 100).toFixed(1)}% of the bare route's req/s over ${opts.rounds} rounds (goal ≥ ${GOAL * 100}%).`;
  }
  const goalInput = (rows: Summary[]) =>
    rows.map((m) => ({ key: m.target.key, rps: m.rps, p99: m.p99, vsBare: m.vsBare, rss: m.rss }));
  return [
    `## ${opts.products.toLocaleString("en-US")} products${opts.only ? `: ${opts.only.join(", ")}` : ""}`,
    "",
    `Date: ${new Date().toISOString()}`,
    "",
    "Command:",
    "",
    "```sh",
    commandLine(),
    "```",
    "",
    "### Machine and setup",
    "",
    `- CPU: ${machine.cpus} × ${machine.model}; memory ${machine.memory}; ${machine.kernel}`,
    `- Bun ${machine.bun}`,
    `- Database: ${context.database}`,
    `- Cache store: ${context.redis}`,
    `- Catalog: ${context.catalog} (\`bun run db:seed --products ${opts.products}\`'s bulk path)`,
    `- Server: \`bun src/index.ts\`, LOG_LEVEL=${opts.logLevel}, WORKER_ENABLED=true, API_RATE_LIMIT_PER_MINUTE=1000000000 (the limiter counts every request but never refuses), TRUST_PROXY=true (detail and search requests come from 10,000 shopper addresses, each under search's 120 a minute), on 127.0.0.1`,
    `- Load: ${context.generator}, ${opts.connections} keep-alive connections; ${opts.rounds} rounds, each target in each round: ${opts.warmup} s warm-up then ${opts.duration} s measured; load generator, servers and Postgres share the same ${machine.cpus} CPUs`,
    `- Payload: \`GET /api/v1/categories\` is ${context.bytes} bytes (${context.roots} root categories)${context.listBytes ? `, \`GET ${LIST_PAGE}\` ${context.listBytes} bytes` : ""}; the bare routes answer the same JSON`,
    "",
    "### Results",
    "",
    ...table(results),
    "",
    opts.runner === "wrk"
      ? "req/s is wrk's requests over the measured time; errors counts non-2xx answers and socket errors (incl. timeouts)."
      : "req/s is autocannon's average of per-second samples; errors counts non-2xx answers, socket errors and timeouts.",
    "The catalog targets' ratios are to the bare list page (`bare-list`) when the list route exists, else to the bare categories route; the cart targets' are to `GET /health`.",
    "",
    ...(skipped.length > 0 ? ["Not measured:", "", ...skipped.map((l) => `- ${l}`), ""] : []),
    ...(latency.length > 0
      ? [`### Catalog targets at ${opts.latencyConnections} connections`, "", ...table(latency), ""]
      : []),
    ...checkout,
    goal,
    "",
    ...signedInGoals(results, Boolean(context.redis?.startsWith("redis"))),
    "Catalog goals (issue 14, ratios to the bare route in the same run):",
    "",
    ...catalogGoals(goalInput(results), goalInput(latency), opts),
    "",
    "Cart goals (issue 15, ratios to `GET /health` in the same run):",
    "",
    ...cartGoals(goalInput(results)),
    "",
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
  const signedIn = await ok(api, "POST", "/api/v1/auth/sessions", { ...DEMO_ADMIN, session: "bearer" });
  const session = signedIn.token as string;
  const key = await ok(
    api,
    "POST",
    "/api/v1/admin/api-keys",
    { name: `bench ${new Date().toISOString()}`, scopes: ["customers:read"] },
    { authorization: `Bearer ${session}` },
  );
  return { session, apiKey: key.secret as string };
}

/** The seed's demo admin (src/seed). */
const DEMO_ADMIN = { email: "admin@cartwright.test", password: "cartwright-admin-demo" };

// ---------------------------------------------------------------- main

/** Every target once per round, `opts.rounds` rounds; null when interrupted. */
async function measureRounds(
  targets: Target[],
  opts: Options,
  serverPid: number,
  connections: number,
  name: string,
): Promise<Measured[][] | null> {
  const rounds: Measured[][] = [];
  for (let r = 1; targets.length > 0 && r <= opts.rounds; r++) {
    const round: Measured[] = [];
    for (const [i, target] of targets.entries()) {
      if (interrupted) return null;
      round.push(
        await measure(target, `${name} ${r}/${opts.rounds}, ${i + 1}/${targets.length}`, opts, serverPid, connections),
      );
      await Bun.sleep(500);
    }
    rounds.push(round);
  }
  return rounds;
}

/**
 * Seeds the bench database to `products` products (bench/prepare-catalog.ts, in its
 * own process before the server starts: both would start the embedded Postgres) and
 * answers what the catalog targets draw their requests from.
 */
async function prepareCatalog(products: number, pgEnv: Record<string, string>): Promise<CatalogSample> {
  const out = resolve(TMP, "catalog.json");
  say(`bench: seeding the bench catalog to ${products.toLocaleString("en-US")} products (bulk path)`);
  const proc = Bun.spawn(["bun", "bench/prepare-catalog.ts", "--products", String(products), "--out", out], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...pgEnv },
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
  });
  currentLoad = proc;
  const code = await proc.exited;
  currentLoad = null;
  if (interrupted) throw new Error(`interrupted by ${interrupted}`);
  if (code !== 0) throw new Error(`preparing the catalog failed (exit ${code}): see above`);
  const sample = JSON.parse(readFileSync(out, "utf8")) as CatalogSample;
  if (sample.products > products) {
    say(`bench: note: the database holds ${sample.products.toLocaleString("en-US")} products, more than asked`);
  }
  return sample;
}

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
        // One per catalog size: going back from 250,000 products to 10,000 must not measure 250,000.
        fallback: resolve(ROOT, `.cartwright/bench-postgres-${opts.products}`),
        user: postgresUser(),
        sharedDir: SHARED_DIR,
      }).dir;

  const pgEnv: Record<string, string> = pgDir ? { EMBEDDED_PG_DIR: pgDir, EMBEDDED_PG_PORT: String(pgPort) } : {};
  const sample = await prepareCatalog(opts.products, pgEnv);
  say(`bench: starting Cartwright on ${api} (${pgDir ? `embedded Postgres in ${pgDir}` : "DATABASE_URL"})`);
  say(`bench: load generator: ${generatorName(opts.runner)}`);
  if (opts.runner !== "wrk" && !Bun.which("wrk")) {
    say("bench: wrk is not installed (`apt-get install wrk`): autocannon's numbers understate every ratio");
  }
  const server = startChild("cartwright", ["bun", "src/index.ts"], {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(apiPort),
    LOG_LEVEL: opts.logLevel,
    LOG_FORMAT: "json",
    WORKER_ENABLED: "true",
    // One client address sends everything: a limit it never reaches, so the limiter is counted but never answers.
    API_RATE_LIMIT_PER_MINUTE: "1000000000",
    // The random-path script sends each request as one of many shoppers (X-Forwarded-For), each under
    // the search limit: the limit is counted as in production, and never refuses.
    TRUST_PROXY: "true",
    ...pgEnv,
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

  // The bare server answers a list page's JSON too, the baseline of the catalog targets.
  const listPage = await fetch(`${api}${LIST_PAGE}`, { signal: AbortSignal.timeout(30_000) });
  const listBody = await listPage.text();
  const listFile = resolve(TMP, "list-page.json");
  if (listPage.status === 200) await Bun.write(listFile, listBody);
  else if (listPage.status !== 404)
    throw new Error(`GET ${LIST_PAGE} answered ${listPage.status}: ${listBody.slice(0, 300)}`);
  const bareRoutes = [
    ["/api/v1/categories", bodyFile],
    ...(listPage.status === 200 ? [["/api/v1/products", listFile]] : []),
  ];
  const bare = startChild("bare-server", ["bun", "bench/bare-server.ts"], {
    ...process.env,
    HOST: "127.0.0.1",
    PORT: String(barePort),
    BARE_ROUTES: JSON.stringify(bareRoutes),
  });
  const bareBody = await (await waitFor200(bare, `${bareBase}/api/v1/categories`, 30_000)).text();
  if (bareBody !== body) say("bench: warning: the bare server's body differs from the real one");
  if (listPage.status === 200 && (await get200(`${bareBase}/api/v1/products`)) !== listBody) {
    say("bench: warning: the bare server's list page differs from the real one");
  }
  const catalog = await catalogTargets({
    api,
    bareBase,
    sample,
    tmp: TMP,
    listExists: listPage.status === 200,
    wrk: opts.runner === "wrk",
  });
  for (const line of catalog.skipped) say(`bench: ${line}`);

  const { session, apiKey } = await credentials(api);
  const asSession = { authorization: `Bearer ${session}` };
  const asKey = { authorization: `Bearer ${apiKey}` };
  const customers = `${api}/api/v1/admin/customers?limit=20`;
  const cart = await cartTargets({ api, sample, tmp: TMP, adminHeaders: asSession, wrk: opts.runner === "wrk" });
  for (const line of cart.skipped) say(`bench: ${line}`);
  const all: Target[] = [
    { key: "bare", label: "bare Hono (same JSON as the categories tree)", url: `${bareBase}/api/v1/categories` },
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
    ...catalog.targets,
    ...cart.targets,
  ];
  const targets = all.filter((t) => !opts.only || opts.only.includes(t.key));
  const pid = server.proc.pid;
  const rounds = await measureRounds(targets, opts, pid, opts.connections, "round");
  if (!rounds) return;
  const results = summarize(targets, rounds);
  // Latency at low concurrency (issue 14 measures p99 at 10 connections), for the catalog targets and their baseline.
  const latencyTargets = opts.latencyConnections > 0 ? targets.filter((t) => CATALOG_TARGET_KEYS.includes(t.key)) : [];
  const latencyRounds = await measureRounds(latencyTargets, opts, pid, opts.latencyConnections, "latency round");
  if (!latencyRounds) return;
  const latency = summarize(latencyTargets, latencyRounds);

  const context = {
    database: ready.modes?.database ?? "unknown",
    redis: ready.modes?.redis ?? "unknown",
    bytes: String(Buffer.byteLength(body)),
    roots: String(parsed.items?.length ?? 0),
    generator: generatorName(opts.runner),
    catalog: `${sample.products.toLocaleString("en-US")} products, ${sample.variants.toLocaleString("en-US")} variants`,
    listBytes: listPage.status === 200 ? String(Buffer.byteLength(listBody)) : "",
  };
  const checkout =
    !opts.only || opts.only.some((k) => CHECKOUT_KEYS.includes(k))
      ? await measureCheckout(
          {
            api,
            sample,
            adminHeaders: asSession,
            orders: BENCH_ORDERS,
            connections: opts.connections,
            databaseUrl: process.env.DATABASE_URL ?? `postgres://cartwright:cartwright@127.0.0.1:${pgPort}/cartwright`,
            say,
          },
          opts.only,
        )
      : {};
  const health = results.find((m) => m.target.key === "health")?.rps ?? null;
  const section = report(
    results,
    latency,
    [...catalog.skipped, ...cart.skipped],
    opts,
    context,
    checkoutReport(checkout, health),
  );
  await Bun.write(
    opts.out,
    mergeResults(existsSync(opts.out) ? readFileSync(opts.out, "utf8") : "", opts.products, section, opts.only ?? []),
  );
  await Bun.write(
    resolve(TMP, "last-run.json"),
    JSON.stringify(
      { opts, context, rounds, latencyRounds, checkout, skipped: [...catalog.skipped, ...cart.skipped] },
      null,
      2,
    ),
  );
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
