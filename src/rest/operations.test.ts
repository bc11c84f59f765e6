import { describe, expect, test } from "bun:test";
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { useTestApp } from "../../tests/harness";
import { toAppError } from "../lib/errors";
import { anyone, mutation, query } from "../lib/operation";
import type { RestEnv } from "./env";
import { registerOperations } from "./operations";
import { problem } from "./problem";

// What only REST needs stays inside the declaration: a raw body with headers
// (a signed webhook, served outside /api/v1), a response that is not JSON (a CSV export).

const t = await useTestApp();

const received: { body: string; signature: string }[] = [];
const webhook = mutation({
  input: z.object({ payload: z.string(), "x-signature": z.string().min(1) }),
  output: z.object({ received: z.literal(true) }),
  access: anyone,
  trpc: false,
  rest: {
    method: "post",
    mount: "/webhooks",
    path: "/test",
    status: 200,
    operationId: "testHook",
    tag: "Test",
    summary: "A signed webhook",
    responds: "Taken",
    headers: z.object({ "x-signature": z.string().min(1) }),
    consumes: { contentType: "application/json", field: "payload" },
  },
  run: async (_ctx, input) => {
    received.push({ body: input.payload, signature: input["x-signature"] });
    return { received: true as const };
  },
});

const exportCsv = query({
  input: z.object({ rows: z.coerce.number().int().min(1).max(3) }),
  output: z.string(),
  access: anyone,
  trpc: false,
  rest: {
    method: "get",
    path: "/things/export",
    status: 200,
    operationId: "exportThings",
    tag: "Test",
    summary: "Things as CSV",
    responds: "One line per thing",
    produces: "text/csv",
  },
  run: async (_ctx, { rows }) => ["id,name", ...Array.from({ length: rows }, (_, i) => `${i},thing ${i}`)].join("\n"),
});

const app = new OpenAPIHono<RestEnv>({
  defaultHook: (result, c) => (result.success ? undefined : problem(c, toAppError(result.error).error)),
});
app.use(async (c, next) => {
  c.set("ctx", t.ctx());
  c.set("config", t.deps.config);
  await next();
});
registerOperations(app, [webhook, exportCsv]);
app.onError((err, c) => problem(c, toAppError(err).error));
const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });

describe("a raw body with headers in the input (a signed webhook)", () => {
  test("the handler gets the body byte for byte, as its signature covers it", async () => {
    const body = '{ "id": "evt_1",  "spacing": "kept" }';
    const res = await app.request("/webhooks/test", {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": "t=1,v1=abc" },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(received.at(-1)).toEqual({ body, signature: "t=1,v1=abc" });
  });

  test("a missing signature header is a 400 naming it; another media type is 415", async () => {
    const unsigned = await app.request("/webhooks/test", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(unsigned.status).toBe(400);
    expect(JSON.stringify(await unsigned.json())).toContain("x-signature");
    const wrongType = await app.request("/webhooks/test", {
      method: "POST",
      headers: { "content-type": "text/plain", "x-signature": "s" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
  });

  test("the document shows the header and a string body, and 415", () => {
    const post = doc.paths?.["/webhooks/test"]?.post;
    expect(post?.parameters).toContainEqual(expect.objectContaining({ name: "x-signature", in: "header" }));
    expect(post?.requestBody).toMatchObject({ content: { "application/json": { schema: { type: "string" } } } });
    expect(Object.keys(post?.responses ?? {})).toContain("415");
  });
});

describe("a response that is not JSON (a CSV export)", () => {
  test("is sent with its media type, as the operation wrote it", async () => {
    const res = await app.request("/api/v1/things/export?rows=2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/csv");
    expect(await res.text()).toBe("id,name\n0,thing 0\n1,thing 1");
  });

  test("is documented as that media type", () => {
    const get = doc.paths?.["/api/v1/things/export"]?.get;
    expect(get?.responses?.["200"]).toMatchObject({ content: { "text/csv": { schema: { type: "string" } } } });
  });
});
