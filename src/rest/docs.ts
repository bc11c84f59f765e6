import { dirname, join } from "node:path";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";

// Scalar's page loads its script from a public CDN and is blank offline: serve its standalone bundle ourselves.
const bundlePath = join(dirname(Bun.resolveSync("@scalar/api-reference", import.meta.dir)), "browser", "standalone.js");

/** The interactive API reference at /docs. */
export function docsRoutes() {
  return new Hono()
    .get(
      "/docs/scalar.js",
      () =>
        new Response(Bun.file(bundlePath), {
          headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" },
        }),
    )
    .get("/docs", Scalar({ url: "/api/v1/openapi.json", cdn: "/docs/scalar.js", pageTitle: "Cartwright API" }));
}
