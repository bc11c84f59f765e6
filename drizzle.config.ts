import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` uses this (it needs no database); migrations are
// applied by `bun run db:migrate`, which also starts the embedded Postgres.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
