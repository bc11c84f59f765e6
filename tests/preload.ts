import { afterAll, setDefaultTimeout } from "bun:test";
import { ensureTemplate, startTestPostgres, startTestRedis } from "./services";

// Runs once per `bun test` process (once per file with --isolate/--parallel):
// one Postgres and one Redis for the run, and the migrated template database
// that every test file clones (tests/harness.ts).
// Tests that start servers or processes need more than the default 5 s on a slow CI machine.
setDefaultTimeout(20_000);

const pg = await startTestPostgres();
const redis = await startTestRedis();
process.env.CW_TEST_PG_ADMIN_URL = pg.adminUrl;
process.env.CW_TEST_TEMPLATE = await ensureTemplate(pg.adminUrl);
if (redis.url) process.env.CW_TEST_REDIS_URL = redis.url;
else {
  console.warn(
    "redis: none (no TEST_REDIS_URL, no redis-server on PATH): Redis tests are skipped, the rest use the in-process store. Install redis-server or set TEST_REDIS_URL to run them.",
  );
}

afterAll(async () => {
  await redis.stop();
  await pg.stop();
});
