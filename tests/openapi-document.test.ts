/**
 * What the OpenAPI document promises integrators: how each operation is
 * secured, which statuses and headers it answers with. Real responses are
 * checked against it: every header of ours they carry is documented for that
 * status. (`bun run lint:openapi` runs Spectral and Redocly over the same document.)
 */
import { describe, expect, test } from "bun:test";
import { useTestApp } from "./harness";

const t = await useTestApp({ env: { CORS_ORIGINS: "https://shop.example", BODY_LIMIT_BYTES: "2048" } });

interface Response_ {
  headers?: Record<string, unknown>;
}
interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: object;
  responses: Record<string, Response_>;
}
interface Document {
  servers?: { url: string }[];
  info: { contact?: object; license?: object };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; in?: string; scheme?: string }>; headers: object };
}

const doc = (await (await t.app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"))).json()) as Document;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, method, path, op })),
);
const ourHeaders = Object.keys(doc.components.headers).map((name) => name.toLowerCase());
let ips = 0;
const fromIp = () => ({ "x-forwarded-for": `198.51.100.${++ips}` });

/** Our headers that `res` carries but the document does not list for `method path` and its status. */
function undocumentedHeaders(method: string, path: string, res: Response): string[] {
  const response = doc.paths[path]?.[method]?.responses[String(res.status)];
  if (!response) return [`status ${res.status} of ${method} ${path}`];
  const listed = Object.keys(response.headers ?? {}).map((name) => name.toLowerCase());
  return ourHeaders.filter((name) => res.headers.has(name) && !listed.includes(name));
}

const send = (method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
  t.app.fetch(
    new Request(`http://cartwright.test${path}`, {
      method,
      headers: { ...(init.body !== undefined && { "content-type": "application/json" }), ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    }),
  );

describe("the OpenAPI document", () => {
  test("names where it is served, who to contact and the license", () => {
    // The origin it was fetched from: clients join it to paths that start with /api/v1.
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://cartwright.test" })]);
    expect(doc.info.contact).toBeDefined();
    expect(doc.info.license).toBeDefined();
  });

  test("sessions and API keys are schemes a generator tells apart; public operations say security: []", () => {
    const { bearerAuth, sessionCookie, apiKey } = doc.components.securitySchemes;
    expect(bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(sessionCookie).toMatchObject({ type: "apiKey", in: "cookie" });
    expect(apiKey).toMatchObject({ type: "apiKey", in: "header" });
    for (const { where, op } of operations)
      expect({ where, security: Array.isArray(op.security) }).toEqual({ where, security: true });
    expect(doc.paths["/api/v1/auth/sessions"]?.post?.security).toEqual([]);
    expect(doc.paths["/api/v1/admin/customers"]?.get?.security?.[0]).toEqual({ apiKey: ["customers:read"] });
  });

  test("every response lists X-Request-Id and RateLimit-*; every operation 401, 405, 429, 500 and 503; changes 403, 413 and 415", () => {
    for (const { where, method, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect({ where, statuses }).toEqual({
        where,
        statuses: expect.arrayContaining(["401", "405", "429", "500", "503"]),
      });
      if (method !== "get") {
        expect({ where, statuses }).toEqual({ where, statuses: expect.arrayContaining(["403", "413", "415"]) });
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const names = Object.keys(response.headers ?? {});
        expect({ where, status, names }).toEqual({
          where,
          status,
          names: expect.arrayContaining(["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]),
        });
      }
    }
  });
});

describe("real responses carry only documented headers", () => {
  test("sign-in and sign-out: Set-Cookie", async () => {
    const u = await t.user();
    const signedIn = await send("POST", "/api/v1/auth/sessions", {
      body: { email: u.email, password: u.password },
      headers: fromIp(),
    });
    expect(signedIn.status).toBe(201);
    expect(signedIn.headers.has("set-cookie")).toBe(true);
    expect(undocumentedHeaders("post", "/api/v1/auth/sessions", signedIn)).toEqual([]);
    const signedOut = await send("DELETE", "/api/v1/auth/sessions/current", { headers: u.headers });
    expect(signedOut.headers.has("set-cookie")).toBe(true);
    expect(undocumentedHeaders("delete", "/api/v1/auth/sessions/current", signedOut)).toEqual([]);
  });

  test("an idempotent replay: Idempotent-Replayed; a reused key with another body: 422", async () => {
    const admin = await t.user("admin");
    const headers = { ...admin.headers, "idempotency-key": "doc-test-1" };
    const first = await send("POST", "/api/v1/admin/categories", { body: { name: "Docs" }, headers });
    const replay = await send("POST", "/api/v1/admin/categories", { body: { name: "Docs" }, headers });
    expect([first.status, replay.status, replay.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"]);
    expect(undocumentedHeaders("post", "/api/v1/admin/categories", replay)).toEqual([]);
    const reused = await send("POST", "/api/v1/admin/categories", { body: { name: "Other" }, headers });
    expect(reused.status).toBe(422);
    expect(undocumentedHeaders("post", "/api/v1/admin/categories", reused)).toEqual([]);
  });

  test("another method on a path: 405 with Allow, documented on the path's operations", async () => {
    const res = await send("PUT", "/api/v1/me/addresses");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("GET");
    expect(undocumentedHeaders("get", "/api/v1/me/addresses", res)).toEqual([]);
  });

  test("a body too large (413), of the wrong media type (415), with bad credentials (401), with a CORS origin", async () => {
    const big = await send("POST", "/api/v1/auth/register", { body: { name: "x".repeat(4096) }, headers: fromIp() });
    expect(big.status).toBe(413);
    expect(undocumentedHeaders("post", "/api/v1/auth/register", big)).toEqual([]);
    const text = await send("POST", "/api/v1/auth/register", {
      body: "name=x",
      headers: { ...fromIp(), "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(undocumentedHeaders("post", "/api/v1/auth/register", text)).toEqual([]);
    const forged = await send("GET", "/api/v1/categories", { headers: { authorization: "Bearer not-a-session" } });
    expect(forged.status).toBe(401);
    expect(undocumentedHeaders("get", "/api/v1/categories", forged)).toEqual([]);
    const cors = await send("GET", "/api/v1/categories", { headers: { origin: "https://shop.example" } });
    expect(cors.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(undocumentedHeaders("get", "/api/v1/categories", cors)).toEqual([]);
    const u = await t.user();
    const withText = await send("DELETE", "/api/v1/auth/sessions/current", {
      body: "bye",
      headers: { ...u.headers, "content-type": "text/plain" },
    });
    expect(withText.status).toBe(415);
    expect(undocumentedHeaders("delete", "/api/v1/auth/sessions/current", withText)).toEqual([]);
  });

  test("a cookie-authenticated change from a foreign Origin: 403, on a public route too", async () => {
    const u = await t.user();
    const res = await send("POST", "/api/v1/auth/sessions", {
      body: { email: u.email, password: u.password },
      headers: { ...fromIp(), cookie: `session=${u.token}`, origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(undocumentedHeaders("post", "/api/v1/auth/sessions", res)).toEqual([]);
  });

  test("a rate-limited sign-in: 429 with Retry-After", async () => {
    const u = await t.user();
    const headers = fromIp();
    let res: Response | undefined;
    for (let i = 0; i < 6; i++) {
      res = await send("POST", "/api/v1/auth/sessions", {
        body: { email: u.email, password: "wrong password!!" },
        headers,
      });
    }
    expect(res?.status).toBe(429);
    expect(res?.headers.has("retry-after")).toBe(true);
    if (res) expect(undocumentedHeaders("post", "/api/v1/auth/sessions", res)).toEqual([]);
  });
});
