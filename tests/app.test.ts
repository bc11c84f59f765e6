import { describe, expect, test } from "bun:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createApp } from "../src/app";
import { useTestApp } from "./harness";
import { READY_ENV, readyHeaders } from "./ready";

const t = await useTestApp({
  env: { CORS_ORIGINS: "https://shop.example", BODY_LIMIT_BYTES: "2048", ...READY_ENV },
});
const asAdmin = (await t.user("admin")).headers;
const fetchApp = (path: string, init?: RequestInit) => t.app.fetch(new Request(`http://cartwright.test${path}`, init));

describe("the OpenAPI document", () => {
  test("is OpenAPI 3.1 and passes swagger-parser's validation", async () => {
    const doc = await (await fetchApp("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/categories", "/api/v1/categories/{idOrSlug}", "/api/v1/admin/categories"]),
    );
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      "apiKey",
      "bearerAuth",
      "cartToken",
      "sessionCookie",
    ]);
  });

  test("/docs serves the interactive reference with its script from this server", async () => {
    const page = await fetchApp("/docs");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("/docs/scalar.js");
    expect(html).toContain("/api/v1/openapi.json");
    const script = await fetchApp("/docs/scalar.js");
    expect(script.status).toBe(200);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe("request ids", () => {
  test("a sane incoming X-Request-Id is kept", async () => {
    const res = await fetchApp("/health", { headers: { "x-request-id": "abc-123_trace" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123_trace");
  });

  test("every response carries one: tRPC answers, its errors and refused batches too", async () => {
    const batch = Array.from({ length: 21 }, () => "catalog.categories.list").join(",");
    for (const path of [
      "/trpc/catalog.categories.list",
      "/trpc/catalog.categories.get?input=%7B%7D",
      `/trpc/${batch}?batch=1&input=%7B%7D`,
      "/api/v1/categories",
      "/nowhere",
    ]) {
      const res = await fetchApp(path);
      expect({ path, id: res.headers.get("x-request-id") }).toEqual({
        path,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
  });

  test("an unsafe one is replaced by a generated id", async () => {
    const res = await fetchApp("/health", { headers: { "x-request-id": "<script>" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("error shape", () => {
  test("an unknown route is a 404 problem", async () => {
    const res = await t.rest.get("/api/v1/nowhere");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: "NOT_FOUND", status: 404, title: "Not found" });
  });

  test("a wrong method is a 405 problem with Allow", async () => {
    const res = await t.rest.delete("/api/v1/categories");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(res.body.code).toBe("METHOD_NOT_ALLOWED");
  });

  test("malformed JSON is a 400 problem", async () => {
    const res = await t.rest.request("POST", "/api/v1/admin/categories", {
      rawBody: '{"name": ',
      headers: { ...asAdmin, "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BAD_REQUEST");
  });

  test("a body that is not JSON is a 415 problem", async () => {
    const res = await fetchApp("/api/v1/admin/categories", {
      method: "POST",
      headers: { ...asAdmin, "content-type": "text/plain" },
      body: "name=x",
    });
    expect(res.status).toBe(415);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  test("a body over the limit is a 413 problem", async () => {
    const res = await fetchApp("/api/v1/admin/categories", {
      method: "POST",
      headers: { ...asAdmin, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", description: "y".repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe("PAYLOAD_TOO_LARGE");
  });

  test("an unexpected failure is a bare 500: no message, stack or SQL", async () => {
    const app = createApp({ ...t.deps, workerStatus: () => "disabled" });
    app.get("/boom", () => {
      throw new Error('relation "secret_table" does not exist at select * from secret_table');
    });
    const res = await app.fetch(new Request("http://cartwright.test/boom"));
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toMatchObject({ code: "INTERNAL", detail: "An unexpected error occurred" });
    expect(text).not.toContain("secret_table");
    expect(text).not.toContain("at ");
  });
});

describe("headers", () => {
  test("secure headers are set on every response", async () => {
    const res = await fetchApp("/api/v1/categories");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  test("CORS answers allowlisted origins only", async () => {
    const allowed = await fetchApp("/api/v1/categories", { headers: { origin: "https://shop.example" } });
    const foreign = await fetchApp("/api/v1/categories", { headers: { origin: "https://evil.example" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("/health and /ready", () => {
  test("/health answers ok", async () => {
    const res = await fetchApp("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("/ready reports each dependency and what is in use", async () => {
    const res = await fetchApp("/ready", { headers: readyHeaders });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.checks).toEqual({ postgres: "ok", redis: "disabled", search: "ok", worker: "disabled" });
    expect(body.modes.redis).toContain("in-process");
    expect(body.modes.database).toContain("postgres at");
  });
});
