/**
 * Builds `@cartwright/client` into `client/dist`: an ESM bundle (Bun.build) and
 * declarations (tsc). Run from anywhere: `bun run --cwd client build`.
 *
 * Fails when a declaration file would need anything besides `@trpc/client`,
 * `@trpc/server` and the package's own files: a consumer has only those
 * (stack-notes.md "TypeScript").
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const clientDir = resolve(import.meta.dir, "..");
const distDir = join(clientDir, "dist");
const external = ["@trpc/client", "@trpc/server"];

/** Module specifiers a declaration file may use. */
const allowedImports = new Set([...external, "./router-type.js"]);
/** Words that give away a server type, even in a comment. */
const serverOnly = /drizzle|postgres|\bpg\b|pino|hono|zod|ioredis|graphile|nodemailer|\bsrc\//i;

function fail(message: string): never {
  console.error(`client build: ${message}`);
  process.exit(1);
}

async function bundle(): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(clientDir, "src/index.ts")],
    outdir: distDir,
    // No Bun or Node APIs: the bundle runs in browsers, Node, Bun, Deno and workers alike.
    target: "browser",
    format: "esm",
    external,
    throw: false,
  });
  if (!result.success) fail(`bundling failed\n${result.logs.join("\n")}`);
}

function findTsc(): string {
  for (let dir = clientDir; ; dir = dirname(dir)) {
    const bin = join(dir, "node_modules/.bin/tsc");
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) fail("tsc not found: run `bun install` at the repository root");
  }
}

/**
 * tsc emits declarations for every file the program reaches, server files
 * included, so it writes to a scratch folder and only the client's are kept.
 */
async function declarations(): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), "cartwright-client-dts-"));
  try {
    const tsc = Bun.spawnSync([findTsc(), "-p", join(clientDir, "tsconfig.build.json"), "--outDir", scratch], {
      cwd: clientDir,
      stdout: "pipe",
      stderr: "pipe",
    });
    if (tsc.exitCode !== 0) fail(`tsc failed\n${tsc.stdout.toString()}${tsc.stderr.toString()}`);
    const emitted = join(scratch, "client/src");
    const names = (await readdir(emitted)).filter((name) => name.endsWith(".d.ts"));
    for (const name of names) {
      const text = await readFile(join(emitted, name), "utf8");
      // tsc writes `./router-type`, which only bundler resolution accepts; Node's ESM resolution wants the extension.
      const portable = text.replace(/(["'])\.\/([\w-]+)\1/g, "$1./$2.js$1");
      await writeFile(join(distDir, name), portable);
    }
    return names;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function verify(names: string[]): Promise<void> {
  if (!names.includes("index.d.ts")) fail("tsc emitted no index.d.ts");
  for (const name of names) {
    const text = await readFile(join(distDir, name), "utf8");
    const specifiers = [...text.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
    const foreign = specifiers.filter((s) => !allowedImports.has(s));
    if (foreign.length > 0) fail(`${name} imports ${[...new Set(foreign)].join(", ")}`);
    const leak = text.split("\n").find((line) => serverOnly.test(line));
    if (leak !== undefined) fail(`${name} mentions a server-only module: ${leak.trim()}`);
    // tsc gives up on types too deep to print and writes `any` instead, silently.
    if (/\/\*elided\*\/|\.\.\.\s*\d+\s+more/.test(text)) fail(`${name} has a type tsc could not print in full`);
  }
}

await rm(distDir, { recursive: true, force: true });
await bundle();
const names = await declarations();
await verify(names);
process.stdout.write(`client build: dist/index.js, ${names.map((n) => `dist/${n}`).join(", ")}\n`);
