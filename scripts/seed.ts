import { runCommand } from "../src/boot";
import { seedDemoStore } from "../src/seed";
import { DEMO_ACCOUNTS } from "../src/seed/accounts";

// `bun run db:seed`: the demo store, idempotent; prints progress.
await runCommand("seeding the demo store", "", { migrate: true }, async (deps, ctx) => {
  console.warn(`seeding ${deps.modes.database}`);
  let current = "";
  const { created } = await seedDemoStore(ctx, (step, done, total) => {
    const line = `  ${step}: ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`${current && step !== current ? "\n" : "\r"}${line}`);
    else if (done === total) console.warn(line);
    current = step;
  });
  if (process.stderr.isTTY) process.stderr.write("\n");
  console.warn(`seed done: ${created} created, the rest already there`);
  console.warn("demo accounts (for local demos only; change or delete them anywhere else):");
  for (const a of DEMO_ACCOUNTS) console.warn(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}`);
});
