import { Hono } from "hono";

// The baseline for `bun run bench`: Hono on Bun with no middleware, one route per
// body the real server answered (run.ts fetches `GET /api/v1/categories` and a
// product list page once and passes `BARE_ROUTES`, a JSON list of [path, file]).
// Each body is parsed once at start and serialised per request, as `c.json()`
// in the real routes does.

const routes = JSON.parse(process.env.BARE_ROUTES ?? "[]") as [string, string][];
if (!Array.isArray(routes) || routes.length === 0) {
  console.error(
    'bare-server: set BARE_ROUTES to a JSON list of [path, JSON file], e.g. [["/api/v1/categories", "c.json"]]',
  );
  process.exit(2);
}

const app = new Hono();
for (const [path, file] of routes) {
  const body = (await Bun.file(file).json()) as object;
  app.get(path, (c) => c.json(body));
}

const server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 0),
  fetch: app.fetch,
});
console.error(
  `bare-server: listening on http://${server.hostname}:${server.port} (${routes.map(([p]) => p).join(", ")})`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.stop(true);
    process.exit(0);
  });
}
