import { runCommand } from "../src/boot";

// `bun run db:migrate`: applies pending migrations to DATABASE_URL (creating the
// database if needed) or to the embedded Postgres. Start-up itself migrates.
await runCommand("migrating", "", { migrate: true }, async (deps) => {
  deps.log.info(`migrated: ${deps.modes.database}`);
});
