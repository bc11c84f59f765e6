import { runCommand } from "../src/boot";
import { seedDemoStore } from "../src/seed";

// `bun run db:seed`: the demo store, idempotent; prints progress.
await runCommand({ migrate: true }, async (deps, ctx) => {
  console.warn(`seeding ${deps.modes.database}`);
  let last = "";
  const { created } = await seedDemoStore(ctx, (step, done, total) => {
    const line = `  ${step}: ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (done === total && line !== last) console.warn(line);
    last = line;
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  console.warn(`seed done: ${created} created, the rest already there`);
});
