import { dirname, join } from "node:path";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";

// Scalar's page loads its script from a public CDN and is blank offline: serve its standalone bundle ourselves.
const bundlePath = join(dirname(Bun.resolveSync("@scalar/api-reference", import.meta.dir)), "browser", "standalone.js");

// The reference is ours and works offline: nothing reaches Scalar's services, and their cloud buttons are gone.
// Each option below turns off one thing that would otherwise call out or advertise (read from
// @scalar/types' configuration schema and ApiReference.vue in @scalar/api-reference 1.72.1).
const offline = {
  // Fonts come from fonts.scalar.com; the system's fonts do.
  withDefaultFonts: false,
  telemetry: false,
  // "Ask AI": a chat against api.scalar.com, shown by default on localhost.
  agent: { disabled: true },
  // "Generate MCP": uploads the document to Scalar's dashboard, shown by default on localhost.
  mcp: { disabled: true },
  // The localhost toolbar with "Share" and "Deploy" (on Scalar's platform).
  showDeveloperTools: "never",
  // "Open API Client" opens client.scalar.com; "Test Request" still opens the built-in client, sending to this server.
  hideClientButton: true,
} as const;

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
    .get(
      "/docs",
      Scalar({ url: "/api/v1/openapi.json", cdn: "/docs/scalar.js", pageTitle: "Cartwright API", ...offline }),
    );
}
