import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./server-process";

// The module rules hold because the linter enforces them (README, "Modules"):
// probe modules that break them must fail `biome lint`, as CI runs it.

const probe = (name: string) => join(ROOT, "src/modules", `zz-probe-${process.pid}-${name}`);
const [a, b] = [probe("a"), probe("b")];
afterAll(() => {
  rmSync(a, { recursive: true, force: true });
  rmSync(b, { recursive: true, force: true });
});

function lint(...files: string[]): string {
  const run = Bun.spawnSync(["bunx", "biome", "lint", "--max-diagnostics=50", ...files], { cwd: ROOT });
  return run.stdout.toString() + run.stderr.toString();
}

describe("Biome enforces the module rules", () => {
  mkdirSync(join(a, "service"), { recursive: true });
  mkdirSync(b, { recursive: true });
  const bName = b.split("/").at(-1);
  const aName = a.split("/").at(-1);

  test("a deep import into another module fails; its index, service and schemas pass", () => {
    writeFileSync(join(b, "internals.ts"), "export const secret = 1;\n");
    writeFileSync(join(b, "service.ts"), "export const open = 1;\n");
    writeFileSync(join(a, "deep.ts"), `import { secret } from "../${bName}/internals";\nexport const x = secret;\n`);
    writeFileSync(join(a, "fine.ts"), `import { open } from "../${bName}/service";\nexport const y = open;\n`);
    writeFileSync(
      join(a, "service", "nested.ts"),
      `import { secret } from "../../${bName}/internals";\nexport const z = secret;\n`,
    );
    const out = lint(join(a, "deep.ts"), join(a, "fine.ts"), join(a, "service", "nested.ts"));
    expect(out).toContain("deep.ts");
    expect(out).toContain("nested.ts");
    expect(out).toContain("lint/style/noRestrictedImports");
    expect(out).not.toMatch(/fine\.ts:\d+:\d+ lint/);
  }, 60_000);

  test("an import cycle fails", () => {
    writeFileSync(join(b, "ping.ts"), `import { pong } from "../${aName}/service";\nexport const ping = () => pong;\n`);
    writeFileSync(
      join(a, "service", "index.ts"),
      `import { ping } from "../../${bName}/ping";\nexport const pong = () => ping;\n`,
    );
    const out = lint(join(b, "ping.ts"), join(a, "service", "index.ts"));
    expect(out).toContain("lint/suspicious/noImportCycles");
  }, 60_000);
});
