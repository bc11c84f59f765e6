import { parseArgs } from "node:util";
import { runCommand } from "../src/boot";
import { randomToken } from "../src/lib/tokens";
import * as identity from "../src/modules/identity/service";

// `bun run admin:create --email you@shop.com [--name "Your Name"]`: the first admin of a real
// deployment. The password comes from ADMIN_PASSWORD, or is generated and printed once.
const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
if (!values.email) {
  console.error(
    'usage: bun run admin:create --email you@shop.com [--name "Your Name"]  (password: ADMIN_PASSWORD or generated)',
  );
  process.exit(2);
}
const generated = !process.env.ADMIN_PASSWORD;
const password = process.env.ADMIN_PASSWORD ?? randomToken(18);

await runCommand(`creating the admin ${values.email}`, "", { migrate: true }, async (_deps, ctx) => {
  const admin = await identity.createAccount(ctx, {
    email: values.email ?? "",
    name: values.name ?? "Admin",
    password,
    role: "admin",
  });
  console.warn(`created admin ${admin.email} (${admin.id})`);
  if (generated) console.warn(`password (shown once): ${password}`);
});
