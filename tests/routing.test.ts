import { describe, expect, test } from "bun:test";
import { MAX_FIELD_ERRORS } from "../src/lib/errors";
import { useTestApp } from "./harness";

const t = await useTestApp();
const admin = await t.user("admin");
const send = async (method: string, path: string, headers: Record<string, string> = {}) => {
  const res = await t.app.fetch(new Request(`http://cartwright.test${path}`, { method, headers }));
  return { status: res.status, body: await res.text() };
};

const doc = (await (await t.app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"))).json()) as {
  paths: Record<string, Record<string, unknown>>;
};
// Every documented operation, its path parameters filled with an id that names nothing.
const operations = Object.entries(doc.paths).flatMap(([template, methods]) =>
  Object.keys(methods).map((method) => ({
    method: method.toUpperCase(),
    path: template.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000"),
  })),
);

describe("a trailing slash is the same route", () => {
  test("on every documented operation, anonymous: the same status as without it, never a 405", async () => {
    expect(operations.length).toBeGreaterThanOrEqual(24);
    for (const { method, path } of operations) {
      const [plain, slashed] = [await send(method, path), await send(method, `${path}/`)];
      expect({ op: `${method} ${path}/`, status: slashed.status }).toEqual({
        op: `${method} ${path}/`,
        status: plain.status,
      });
      expect(slashed.status).not.toBe(405);
      // The walk reaches real routes: a miss would prove nothing.
      expect(plain.body).not.toContain("No route for");
    }
  });

  test("every documented read answers an admin the same with and without it", async () => {
    for (const { method, path } of operations.filter((o) => o.method === "GET")) {
      const [plain, slashed] = [await send(method, path, admin.headers), await send(method, `${path}/`, admin.headers)];
      expect({ op: `${method} ${path}/`, status: slashed.status }).toEqual({
        op: `${method} ${path}/`,
        status: plain.status,
      });
    }
    const categories = await send("GET", "/api/v1/categories/");
    expect(categories.status).toBe(200);
    expect(JSON.parse(categories.body).items).toBeArray();
  });

  test("a wrong method on a slashed path is still a 405 naming the right ones", async () => {
    const res = await t.app.fetch(new Request("http://cartwright.test/api/v1/categories/", { method: "PUT" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });
});

describe("validation errors are bounded", () => {
  test("a body with 95,000 unknown keys answers a few KB: each path once, the rest counted", async () => {
    const body: Record<string, unknown> = { email: "ada@example.test", password: "x" };
    for (let i = 0; i < 95_000; i++) body[`k${i}`] = 1;
    const res = await t.app.fetch(
      new Request("http://cartwright.test/api/v1/auth/sessions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(4096);
    const problem = JSON.parse(text);
    expect(problem.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(problem.errors[0]).toEqual({ path: "k0", message: "Unknown field: k0" });
    // Each listed path once in the list, and once in the detail.
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(text.split(`"${path}"`).length - 1).toBe(1);
    expect(problem.detail).toEndWith(`and ${95_000 - MAX_FIELD_ERRORS} more`);
    expect(problem.omittedErrors).toBe(95_000 - MAX_FIELD_ERRORS);
  });

  test("tRPC carries the count of the rest as omittedErrors", async () => {
    const input: Record<string, unknown> = { email: "ada@example.test", password: "x" };
    for (let i = 0; i < 1000; i++) input[`k${i}`] = 1;
    const res = await t.app.fetch(
      new Request("http://cartwright.test/trpc/auth.signIn", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      }),
    );
    const { error } = await res.json();
    expect(error.data.code).toBe("VALIDATION_FAILED");
    expect(error.data.errors).toHaveLength(MAX_FIELD_ERRORS);
    expect(error.data.omittedErrors).toBe(1000 - MAX_FIELD_ERRORS);
  });

  test("a huge unknown key is cut in the answer", async () => {
    const key = "x".repeat(500_000);
    const res = await t.rest.post("/api/v1/auth/sessions", { email: "ada@example.test", password: "x", [key]: 1 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body).length).toBeLessThan(2048);
    expect(res.body.errors[0].path).toBe(`${"x".repeat(200)}…`);
  });
});
