import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SHARED_DIR } from "../src/db/embedded";
import { READY_ENV, readyHeaders } from "./ready";
import { createCategoryAsDemoAdmin, processesMentioning, ROOT, startServer } from "./server-process";
import { freePort } from "./services";

// A newcomer as root: `git clone` into a 0700 folder (`/root`, `mktemp -d`),
// then `bun run start` with nothing configured. The postgres user Postgres runs
// as cannot enter that folder; the server must work anyway, and keep its data.

const isRoot = process.getuid?.() === 0;

/** The checkout as a clone has it (no .git, no local data), hard-linked where possible. */
function copyCheckout(to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(ROOT)) {
    if (entry === ".git" || entry === ".cartwright") continue;
    const linked = spawnSync("cp", ["-al", join(ROOT, entry), to]).status === 0;
    if (!linked && spawnSync("cp", ["-a", join(ROOT, entry), to]).status !== 0)
      throw new Error(`could not copy ${entry}`);
  }
}

describe.skipIf(!isRoot)(
  "as root, from a checkout inside a 0700 directory, nothing configured (root only: Postgres runs as the postgres user only under root)",
  () => {
    const outer = mkdtempSync(join(tmpdir(), "cartwright-clone-"));
    const checkout = join(outer, "cartwright");
    let dataDir = "";
    afterAll(() => {
      rmSync(outer, { recursive: true, force: true });
      if (dataDir.startsWith(`${SHARED_DIR}/postgres/`)) rmSync(dataDir, { recursive: true, force: true });
    }, 60_000);

    test("serves /health and the seeded store, keeps its data across a restart, and opens no directory of ours", async () => {
      expect(statSync(outer).mode & 0o777).toBe(0o700);
      copyCheckout(checkout);
      const env = async () => ({ EMBEDDED_PG_PORT: String(await freePort()), ...READY_ENV });

      const first = await startServer(await env(), checkout);
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
      const ready = await (await fetch(`${first.url}/ready`, { headers: readyHeaders })).json();
      expect(ready.checks.postgres).toBe("ok");
      dataDir = ready.embeddedPostgres.dataDir;
      expect(dataDir.startsWith(`${SHARED_DIR}/postgres/`)).toBe(true);
      expect(ready.embeddedPostgres.movedBecause).toContain(`cannot enter ${outer} (mode 0700`);
      expect(ready.modes.database).toContain(dataDir);
      expect(first.output()).toContain(`embedded postgres: data in ${dataDir}`);
      const seeded = await (await fetch(`${first.url}/api/v1/categories`)).json();
      expect(seeded.items.map((c: { slug: string }) => c.slug)).toEqual([
        "clothing",
        "footwear",
        "accessories",
        "home",
      ]);
      expect(await createCategoryAsDemoAdmin(first.url, "Made in a closed checkout")).toBe(201);
      first.proc.kill("SIGTERM");
      expect(await first.proc.exited).toBe(0);
      expect(processesMentioning(`-D ${dataDir}`)).toEqual([]);

      const second = await startServer(await env(), checkout);
      const again = await (await fetch(`${second.url}/ready`, { headers: readyHeaders })).json();
      expect(again.embeddedPostgres.dataDir).toBe(dataDir);
      expect((await fetch(`${second.url}/api/v1/categories/made-in-a-closed-checkout`)).status).toBe(200);
      second.proc.kill("SIGTERM");
      expect(await second.proc.exited).toBe(0);

      // Nothing was loosened to get there.
      expect(statSync(outer).mode & 0o777).toBe(0o700);
    }, 120_000);
  },
);
