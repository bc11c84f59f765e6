/**
 * A third party's client, generated from the document the app serves with
 * openapi-typescript and driven by openapi-fetch: a consumer written without
 * casts must compile with the repository's TypeScript (strict), and then run
 * against the app. Needs Node (openapi-typescript's CLI); no network.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { useTestApp } from "./harness";

const repoRoot = resolve(import.meta.dir, "..");
const bin = (name: string) => join(repoRoot, "node_modules/.bin", name);
const t = await useTestApp();

/** Registers, signs in, reads /me, adds an address with only its required fields and lists the book. */
const CONSUMER = `import createClient from "openapi-fetch";
import type { paths } from "./api";

export async function journey(fetch: (request: Request) => Promise<Response>, email: string) {
  const baseUrl = "http://cartwright.test";
  const api = createClient<paths>({ baseUrl, fetch });
  const password = "correct horse battery staple";
  const registered = await api.POST("/api/v1/auth/register", { body: { email, password, name: "Ada Lovelace" } });
  if (registered.error) throw new Error(\`register: \${registered.error.code}\`);

  const signedIn = await api.POST("/api/v1/auth/sessions", { body: { email, password, session: "bearer" } });
  if (signedIn.error) throw new Error(\`sign-in: \${signedIn.error.code}\`);
  const token = signedIn.data.token;
  if (!token) throw new Error("no bearer token for a non-browser client");

  const authed = createClient<paths>({ baseUrl, fetch, headers: { Authorization: \`Bearer \${token}\` } });
  const me = await authed.GET("/api/v1/me");
  if (me.error) throw new Error(\`me: \${me.error.code}\`);
  const name: string = me.data.name;

  const created = await authed.POST("/api/v1/me/addresses", {
    body: { name, line1: "12 Rue de Rivoli", city: "Paris", postalCode: "75001", country: "fr" },
  });
  if (created.error) throw new Error(\`address: \${created.error.code} \${created.error.errors?.[0]?.path ?? ""}\`);
  const isDefault: boolean = created.data.isDefaultShipping;

  const book = await authed.GET("/api/v1/me/addresses");
  if (book.error) throw new Error(\`book: \${book.error.code}\`);
  // Every list pages alike: a cursor is a string, null on the last page.
  let cursor: typeof book.data.nextCursor = "a cursor";
  cursor = book.data.nextCursor;

  const refused = await authed.POST("/api/v1/me/addresses", {
    body: { name, line1: "x", city: "Paris", postalCode: "75001", country: "not a country" },
  });
  const problem = refused.error ? \`\${refused.response.status} \${refused.error.code}\` : "accepted";
  return { email: me.data.email, country: created.data.country, isDefault, cursor, problem };
}
`;

let dir = "";

/** Type-checks `file` in the consumer folder with the repository's tsc; returns its diagnostics. */
async function compile(file: string): Promise<{ exitCode: number; output: string }> {
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: "./tsconfig.base.json", files: [file] }));
  const proc = Bun.spawn([bin("tsc"), "--noEmit", "--pretty", "false", "-p", "tsconfig.json"], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { exitCode, output: stdout + stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cartwright-openapi-client-"));
  const doc = await t.app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"));
  await writeFile(join(dir, "openapi.json"), await doc.text());
  // With its default options, as a third party runs it (under Node, with the compiler API it needs).
  const hooks = join(repoRoot, "scripts/typescript-api-hooks.mjs");
  const cli = join(repoRoot, "node_modules/openapi-typescript/bin/cli.js");
  const generate = Bun.spawn(["node", "--import", hooks, cli, "openapi.json", "-o", "api.ts"], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  if ((await generate.exited) !== 0) throw new Error(await new Response(generate.stderr).text());
  // openapi-fetch as the consumer would install it: the repository's copy.
  await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");
  await writeFile(join(dir, "consumer.ts"), CONSUMER);
  await writeFile(
    join(dir, "tsconfig.base.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "es2022",
        module: "esnext",
        moduleResolution: "bundler",
        lib: ["ES2022", "DOM"],
        types: [],
        noEmit: true,
      },
    }),
  );
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a client generated with openapi-typescript and openapi-fetch", () => {
  test("a consumer that signs in, reads /me and adds an address compiles without casts", async () => {
    expect(CONSUMER).not.toMatch(/\bas\b|<any>|: any|@ts-/);
    expect(await compile("consumer.ts")).toEqual({ exitCode: 0, output: "" });
  }, 60_000);

  test("the types still refuse a missing required field and a wrong path", async () => {
    await writeFile(
      join(dir, "wrong.ts"),
      `import createClient from "openapi-fetch";
import type { paths } from "./api";
const api = createClient<paths>({ baseUrl: "http://cartwright.test" });
export const noCity = api.POST("/api/v1/me/addresses", { body: { name: "A", line1: "B", postalCode: "1", country: "FR" } });
export const noSuchPath = api.GET("/api/v1/mee");
`,
    );
    const result = await compile("wrong.ts");
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/wrong\.ts\(4,[\s\S]*Property 'city' is missing/);
    expect(result.output).toContain("wrong.ts(5,");
  }, 60_000);

  test("the consumer runs against the app", async () => {
    const { journey } = (await import(join(dir, "consumer.ts"))) as {
      journey: (fetch: (request: Request) => Promise<Response>, email: string) => Promise<object>;
    };
    const result = await journey(async (request) => t.app.fetch(request), "openapi-client@cartwright.test");
    expect(result).toEqual({
      email: "openapi-client@cartwright.test",
      country: "FR",
      isDefault: true,
      cursor: null,
      problem: "400 VALIDATION_FAILED",
    });
  });
});
