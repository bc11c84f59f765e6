import { afterAll, setDefaultTimeout } from "bun:test";
import { describeCause } from "../src/lib/boot-error";
import { ensureTemplate, startTestPostgres, startTestRedis, type TestPostgres, type TestRedis } from "./services";

// Runs once per `bun test` process (once per file with --isolate/--parallel):
// one Postgres and one Redis for the run, and the migrated template database
// that every test file clones (tests/harness.ts).
// Tests that start servers or processes need more than the default 5 s on a slow CI machine.
setDefaultTimeout(20_000);

let pg: TestPostgres | undefined;
let redis: TestRedis | undefined;
try {
  pg = await startTestPostgres();
  redis = await startTestRedis();
  process.env.CW_TEST_PG_ADMIN_URL = pg.adminUrl;
  process.env.CW_TEST_TEMPLATE = await ensureTemplate(pg.adminUrl);
} catch (err) {
  // No test can run without them: say why in one line and end the run now, rather than fail every file.
  const hint = process.env.TEST_DATABASE_URL
    ? "Check TEST_DATABASE_URL, or unset it to use a throwaway embedded Postgres"
    : "Set TEST_DATABASE_URL to a Postgres you can create databases on (see README, Troubleshooting)";
  console.error(`cartwright tests: could not prepare the test services: ${describeCause(err)}. ${hint}`);
  await Promise.allSettled([redis?.stop(), pg?.stop()]);
  process.exit(1);
}
if (redis.url) process.env.CW_TEST_REDIS_URL = redis.url;
else {
  console.warn(
    "redis: none (no TEST_REDIS_URL, no redis-server on PATH): Redis tests are skipped, the rest use the in-process store. Install redis-server or set TEST_REDIS_URL to run them.",
  );
}

afterAll(async () => {
  await redis?.stop();
  await pg?.stop();
});
