import { Hono } from "hono";

// The baseline for `bun run bench`: Hono on Bun with one route and no middleware,
// answering the JSON body the real `GET /api/v1/categories` returned (run.ts
// fetches it once and passes the file's path). Parsed once at start and
// serialised per request, as `c.json()` in the real route does.

const bodyFile = process.env.BARE_BODY_FILE;
if (!bodyFile) {
  console.error("bare-server: set BARE_BODY_FILE to a JSON file");
  process.exit(2);
}
const body: unknown = await Bun.file(bodyFile).json();
const path = process.env.BARE_PATH ?? "/api/v1/categories";

const app = new Hono();
app.get(path, (c) => c.json(body as object));

const server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  fetch: app.fetch,
});
console.error(`bare-server: listening on http://${server.hostname}:${server.port}${path}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.stop(true);
    process.exit(0);
  });
}
