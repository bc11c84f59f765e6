import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Database } from "../db/client";
import type { EmbeddedPostgres } from "../db/embedded";
import type { KeyValueStore } from "../lib/kv";

export type CheckStatus = "ok" | "degraded" | "down" | "disabled";

export interface HealthDeps {
  database: Database;
  kv: KeyValueStore;
  workerStatus: () => CheckStatus;
  modes: Record<string, string>;
  embedded: EmbeddedPostgres | null;
}

const withTimeout = <T>(p: Promise<T>, ms: number, fallback: T) =>
  Promise.race([p, Bun.sleep(ms).then(() => fallback)]);

/** /health: the process is alive. /ready: what it depends on, 503 only when Postgres is down. */
export function healthRoutes(deps: HealthDeps) {
  // Where the embedded Postgres keeps its data and binaries, for people and scripts alike.
  const e = deps.embedded;
  const embedded = e && {
    embeddedPostgres: {
      dataDir: e.dir,
      binDir: e.binDir,
      port: e.port,
      ...(e.movedBecause && { movedBecause: e.movedBecause }),
    },
  };
  return new Hono()
    .get("/health", (c) => c.json({ status: "ok" }))
    .get("/ready", async (c) => {
      const [postgres, redis] = await Promise.all([
        withTimeout(
          deps.database.db.execute(sql`select 1`).then((): CheckStatus => "ok"),
          1500,
          "down" as CheckStatus,
        ).catch((): CheckStatus => "down"),
        deps.kv.kind === "memory"
          ? ("disabled" as const)
          : deps.kv.ping().then((up): CheckStatus => (up ? "ok" : "down")),
      ]);
      const checks = { postgres, redis, worker: deps.workerStatus() };
      const healthy = Object.values(checks).every((s) => s === "ok" || s === "disabled");
      const status = postgres === "down" ? "down" : healthy ? "ok" : "degraded";
      return c.json({ status, checks, modes: deps.modes, ...embedded }, postgres === "down" ? 503 : 200);
    });
}
