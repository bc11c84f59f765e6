/**
 * `@cartwright/client` as a third party gets it: built, packed, installed with
 * npm into a folder outside the workspace (so nothing resolves to the server or
 * the repository's node_modules), then compiled against with that folder's own
 * TypeScript. Needs npm and the npm registry; no database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "..");
const clientDir = join(repoRoot, "client");
const TYPESCRIPT = "typescript@7.0.2";

interface Run {
  exitCode: number;
  output: string;
}

/** Runs a command to completion; npm and tsc get an environment without `bun run`'s npm_* variables. */
async function run(cmd: string[], cwd: string): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_")));
  const proc = Bun.spawn(cmd, { cwd, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, output: stdout + stderr };
}

async function mustRun(cmd: string[], cwd: string): Promise<string> {
  const result = await run(cmd, cwd);
  if (result.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${result.exitCode}\n${result.output}`);
  return result.output;
}

let consumer = "";

/** Writes `src/<name>.ts` and type-checks only it with the consumer's tsc. */
async function compile(name: string, source: string, tsconfig = "tsconfig.json"): Promise<Run> {
  await writeFile(join(consumer, "src", `${name}.ts`), source);
  await writeFile(
    join(consumer, `tsconfig.${name}.json`),
    JSON.stringify({ extends: `./${tsconfig}`, files: [`src/${name}.ts`] }),
  );
  return run(
    [join(consumer, "node_modules/.bin/tsc"), "--noEmit", "--pretty", "false", "-p", `tsconfig.${name}.json`],
    consumer,
  );
}

/** The 1-based line of `needle` in `source`. */
function lineOf(source: string, needle: string): number {
  const index = source.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`not in source: ${needle}`);
  return index + 1;
}

const header = `import { createClient } from "@cartwright/client";

const client = createClient({ url: "http://localhost:3000" });
`;

beforeAll(async () => {
  await mustRun([process.execPath, "run", "build"], clientDir);
  consumer = await mkdtemp(join(tmpdir(), "cartwright-client-consumer-"));
  await mustRun([process.execPath, "pm", "pack", "--destination", consumer, "--quiet"], clientDir);
  const tarball = (await readdir(consumer)).find((name) => name.endsWith(".tgz"));
  if (!tarball) throw new Error(`bun pm pack left no tarball in ${consumer}`);

  await writeFile(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module", version: "0.0.0" }),
  );
  // The package's declared dependencies come from the registry with it; TypeScript is the consumer's own.
  await mustRun(
    ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", `./${tarball}`, TYPESCRIPT],
    consumer,
  );
  await mkdir(join(consumer, "src"));
  await writeFile(
    join(consumer, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "es2022",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["ES2022", "DOM"],
        // tRPC 11's own declarations use `Disposable` and `AsyncDisposable`
        // (lib "ESNext.Disposable"), which these libs lack: with skipLibCheck
        // off, tsc reports errors in @trpc/server whatever this package does.
        // tsconfig.libcheck.json adds that lib and checks every declaration,
        // this package's included.
        skipLibCheck: true,
        noEmit: true,
      },
    }),
  );
  await writeFile(
    join(consumer, "tsconfig.libcheck.json"),
    JSON.stringify({
      extends: "./tsconfig.json",
      compilerOptions: { lib: ["ES2022", "DOM", "ESNext.Disposable"], skipLibCheck: false },
    }),
  );
  // Node's ESM resolution, where relative imports need their extension.
  await writeFile(
    join(consumer, "tsconfig.node.json"),
    JSON.stringify({
      extends: "./tsconfig.libcheck.json",
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext" },
    }),
  );
}, 240_000);

afterAll(async () => {
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

describe("@cartwright/client, installed from its tarball", () => {
  test("its declarations import only @trpc/* and its own files", async () => {
    const dist = join(consumer, "node_modules/@cartwright/client/dist");
    const files = (await readdir(dist)).filter((name) => name.endsWith(".d.ts"));
    expect(files).toContain("index.d.ts");
    for (const file of files) {
      const text = await readFile(join(dist, file), "utf8");
      const specifiers = [...text.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier).toMatch(/^(@trpc\/(client|server)|\.\/[\w-]+\.js)$/);
      expect(text).not.toMatch(/drizzle|postgres|pino|hono|zod|ioredis|graphile|src\//i);
      expect(text).not.toContain("/*elided*/");
    }
  });

  test("a correct consumer compiles", async () => {
    const source = `${header}
import type { RouterInputs, RouterOutputs } from "@cartwright/client";

const authed = createClient({
  url: "https://shop.example.com/trpc",
  headers: async () => ({ authorization: "Bearer token" }),
  fetch: (url, init) => fetch(url, init),
});

export async function main(): Promise<void> {
  const shoes = await client.catalog.categories.get.query({ idOrSlug: "shoes" });
  const name: string = shoes.name;
  const crumbs: string[] = shoes.ancestors.map((a) => a.slug);
  const tree = await authed.catalog.categories.list.query();
  const first: string | undefined = tree.items[0]?.slug;
  const deep: string | undefined = tree.items[0]?.children[0]?.children[0]?.children[0]?.name;
  const created = await authed.admin.categories.create.mutate({ name: "Boots", parentId: null });
  const id: string = created.id;
  const input: RouterInputs["catalog"]["categories"]["get"] = { idOrSlug: "boots" };
  const output: RouterOutputs["catalog"]["categories"]["get"] = shoes;
  console.log(name, crumbs, first, deep, id, input, output.slug);
}
`;
    for (const [name, tsconfig] of [
      ["ok", "tsconfig.json"],
      ["ok_libcheck", "tsconfig.libcheck.json"],
      ["ok_node", "tsconfig.node.json"],
    ] as const) {
      const result = await compile(name, source, tsconfig);
      expect({ tsconfig, output: result.output, exitCode: result.exitCode }).toEqual({
        tsconfig,
        output: "",
        exitCode: 0,
      });
    }
  }, 60_000);

  test("a wrong procedure name fails and is named", async () => {
    const source = `${header}
export const bad = client.catalog.categories.gett.query({ idOrSlug: "shoes" });
`;
    const result = await compile("bad_name", source);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`src/bad_name.ts(${lineOf(source, ".gett.")},`);
    expect(result.output).toMatch(/error TS\d+: Property 'gett' does not exist/);
  }, 60_000);

  test("a wrong input type fails on that line", async () => {
    const source = `${header}
export const bad = client.catalog.categories.get.query({ idOrSlug: 42 });
`;
    const result = await compile("bad_input", source);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`src/bad_input.ts(${lineOf(source, "idOrSlug: 42")},`);
    expect(result.output).toMatch(/error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 60_000);

  test("a wrong output field fails, in a recursive output too", async () => {
    const source = `${header}
export async function main(): Promise<void> {
  const shoes = await client.catalog.categories.get.query({ idOrSlug: "shoes" });
  console.log(shoes.nmae);
  const tree = await client.catalog.categories.list.query();
  const slug: number | undefined = tree.items[0]?.children[0]?.children[0]?.slug;
  console.log(slug);
}
`;
    const result = await compile("bad_output", source);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`src/bad_output.ts(${lineOf(source, "shoes.nmae")},`);
    expect(result.output).toMatch(/error TS\d+: Property 'nmae' does not exist/);
    expect(result.output).toContain(`src/bad_output.ts(${lineOf(source, "const slug")},`);
    expect(result.output).toMatch(/error TS2322: Type 'string' is not assignable to type 'number'/);
  }, 60_000);

  test("at run time: the base URL gets /trpc and the headers function runs per request", async () => {
    const { createClient } = (await import(join(consumer, "node_modules/@cartwright/client/dist/index.js"))) as {
      createClient: (options: object) => {
        catalog: { categories: { get: { query: (input: { idOrSlug: string }) => Promise<{ slug: string }> } } };
      };
    };
    const requests: { url: string; authorization: string | null }[] = [];
    let token = 0;
    const client = createClient({
      url: "http://shop.test/",
      headers: async () => ({ authorization: `Bearer t${++token}` }),
      fetch: async (url: string, init?: RequestInit) => {
        requests.push({ url, authorization: new Headers(init?.headers).get("authorization") });
        return Response.json([{ result: { data: { slug: "shoes" } } }]);
      },
    });
    expect((await client.catalog.categories.get.query({ idOrSlug: "shoes" })).slug).toBe("shoes");
    await client.catalog.categories.get.query({ idOrSlug: "shoes" });
    expect(requests.map((r) => r.authorization)).toEqual(["Bearer t1", "Bearer t2"]);
    expect(requests[0]?.url).toStartWith("http://shop.test/trpc/catalog.categories.get?batch=1");
  });
});
