/**
 * Lints the OpenAPI document the app serves with Spectral (spectral:oas and
 * the OWASP ruleset, .spectral.yaml) and Redocly (redocly.yaml); exits non-zero
 * on any error. Offline: the rulesets are installed packages, telemetry is off.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openApiDocument } from "../src/rest";

const root = resolve(import.meta.dir, "..");

/** The linters' commands over `file`, run from the repository root. */
export const LINTERS = (file: string) => [
  ["node_modules/.bin/spectral", "lint", "--ruleset", ".spectral.yaml", "--fail-severity", "error", file],
  ["node_modules/.bin/redocly", "lint", "--config", "redocly.yaml", file],
];

/** Runs both linters over the app's document; each result keeps its output. */
export async function lintOpenApi(): Promise<{ command: string; exitCode: number; output: string }[]> {
  const dir = await mkdtemp(join(tmpdir(), "cartwright-openapi-"));
  const file = join(dir, "openapi.json");
  try {
    await writeFile(file, JSON.stringify(openApiDocument(), null, 2));
    const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_NOTIFICATIONS: "true", NO_COLOR: "1" };
    return await Promise.all(
      LINTERS(file).map(async (cmd) => {
        const proc = Bun.spawn(cmd, { cwd: root, env, stdout: "pipe", stderr: "pipe" });
        const [stdout, stderr, exitCode] = await Promise.all([
          new Response(proc.stdout).text(),
          new Response(proc.stderr).text(),
          proc.exited,
        ]);
        return { command: cmd.slice(0, 2).join(" "), exitCode, output: stdout + stderr };
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const results = await lintOpenApi();
  for (const r of results) process.stdout.write(`\n--- ${r.command} (exit ${r.exitCode})\n${r.output.trim()}\n`);
  process.exit(results.some((r) => r.exitCode !== 0) ? 1 : 0);
}
