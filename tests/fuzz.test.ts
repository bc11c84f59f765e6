import { beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { z } from "zod";
import { allOperations } from "../src/lib/module";
import { modules } from "../src/modules";
import { appRouter } from "../src/trpc/router";
import { newSession, type TestUser } from "./factories/users";
import { useTestApp } from "./harness";

/**
 * Hostile input against every operation, as four kinds of caller: whatever
 * arrives, the answer is never a 5xx, every error has its transport's error
 * shape, and no answer is unbounded. The operations come from the OpenAPI
 * document and the tRPC router, so a new route is fuzzed without touching this
 * file. Fixed seed, bounded runs; FUZZ_RUNS=200 for a longer run.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const MAX_BODY = 64 * 1024;

const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "1000000" } });
type Who = "anonymous" | "customer" | "staff" | "admin";
const WHO: Who[] = ["anonymous", "customer", "staff", "admin"];
let people: Record<Exclude<Who, "anonymous">, TestUser>;
beforeAll(async () => {
  people = { customer: await t.user("customer"), staff: await t.user("staff"), admin: await t.user("admin") };
});

/** A fresh session each time: a fuzzed sign-out or delete must not end the next call's. */
async function headersOf(who: Who): Promise<Record<string, string>> {
  if (who === "anonymous") return {};
  return (await newSession(t, people[who])).headers;
}

const forgedCursor = fc
  .oneof(
    fc.constant({ createdAt: "0000-01-01T00:00:00Z", id: "01a20160-0000-7000-8000-000000000000" }),
    fc.constant({ createdAt: "99999-12-31T00:00:00Z", id: "01a20160-0000-7000-8000-000000000000" }),
    fc.record({ createdAt: fc.string(), id: fc.string() }),
    fc.anything(),
  )
  .map((v) => Buffer.from(JSON.stringify(v) ?? "null").toString("base64url"));

/** Strings a client should never be trusted with. */
const hostileString = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\u202eevil",
    "\u0007\u001b[31m",
    "../../etc/passwd",
    "%00",
    "0x10",
    "1e9",
    "-1",
    "' or 1=1 --",
    "<script>alert(1)</script>",
    "not-a-uuid",
    "",
    " ",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1000, max: 300_000 }).map((n) => "x".repeat(n)),
  forgedCursor,
);

/** Values of any JSON type, and the hostile ones. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    1.5,
    true,
    null,
    [],
    {},
    Array.from({ length: 2000 }, () => 1),
  ),
  fc.integer({ min: 1, max: 3000 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 5 }),
);

interface RestOp {
  method: string;
  path: string;
  secured: boolean;
  /** A valid body, so that one hostile field gets past the others' validation to the service and the database. */
  baseline: Record<string, unknown>;
  params: { name: string; in: string }[];
  bodyFields: string[];
}

const doc = await (await t.app.fetch(new Request("http://cartwright.test/api/v1/openapi.json"))).json();
const restOps: RestOp[] = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => {
    const ref = op.requestBody?.content?.["application/json"]?.schema?.$ref as string | undefined;
    const schema = ref
      ? doc.components.schemas[ref.split("/").at(-1) ?? ""]
      : op.requestBody?.content?.["application/json"]?.schema;
    return {
      method: method.toUpperCase(),
      path: `/api/v1${path.replace(/^\/api\/v1/, "")}`,
      secured: (op.security ?? []).length > 0,
      baseline: (sampleOf(schema, doc) ?? {}) as Record<string, unknown>,
      params: (op.parameters ?? []) as { name: string; in: string }[],
      bodyFields: Object.keys(schema?.properties ?? {}),
    };
  }),
);

/** One hostile request: a path parameter, a query parameter or a body field replaced, an unknown field, or junk. */
const restRequest = (op: RestOp) =>
  fc.record({
    value: hostileValue,
    target: fc.constantFrom(
      ...op.params.map((p) => `${p.in}:${p.name}`),
      ...op.bodyFields.map((f) => `body:${f}`),
      "body:unknownField",
      "body:whole",
      "path:trailing-slash",
    ),
    who: fc.constantFrom(...WHO),
  });

async function sendRest(op: RestOp, { value, target, who }: { value: unknown; target: string; who: Who }) {
  const [where, name = ""] = target.split(":");
  const text = typeof value === "string" ? value : JSON.stringify(value);
  let path = op.path.replace(/\{(\w+)\}/g, (_, p: string) =>
    where === "path" && p === name ? encodeAny(text) : "01a20160-0000-7000-8000-000000000000",
  );
  if (target === "path:trailing-slash") path += "/";
  const query = where === "query" ? `?${encodeURIComponent(name)}=${encodeAny(text)}` : "";
  const hasBody = !["GET", "HEAD"].includes(op.method);
  const body = !hasBody
    ? undefined
    : where === "body" && name === "whole"
      ? JSON.stringify(value)
      : JSON.stringify({ ...op.baseline, ...(where === "body" ? { [name]: value } : {}) });
  const res = await t.app.fetch(
    new Request(`http://cartwright.test${path}${query}`, {
      method: op.method,
      headers: { ...(await headersOf(who)), ...(hasBody && { "content-type": "application/json" }) },
      body,
    }),
  );
  const answer = await res.text();
  const context = `${op.method} ${path}${query.slice(0, 80)} as ${who} (${target}): ${res.status} ${answer.slice(0, 300)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(answer.length, context).toBeLessThan(MAX_BODY);
  if (res.status >= 400) {
    expect(res.headers.get("content-type"), context).toStartWith("application/problem+json");
    expect(JSON.parse(answer), context).toMatchObject({ status: res.status, code: expect.any(String) });
  }
}

/** Known-bad values sent to every target of every operation, beside the random ones. */
const ALWAYS: unknown[] = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\u202eevil",
  "0x10",
  "-1",
  "99999999999999999999",
  "x".repeat(300_000),
  Buffer.from('{"createdAt":"0000-01-01T00:00:00Z","id":"01a20160-0000-7000-8000-000000000000"}').toString("base64url"),
  [[[[[[1]]]]]],
  { nested: { deeper: "\u0000" } },
];

const targetsOf = (op: RestOp) => [
  ...op.params.map((p) => `${p.in}:${p.name}`),
  ...op.bodyFields.map((f) => `body:${f}`),
  "body:unknownField",
  "body:whole",
];

describe("REST: no hostile input reaches a 5xx", () => {
  test("the document lists operations to fuzz", () => {
    expect(restOps.length).toBeGreaterThan(20);
  });
  for (const op of restOps) {
    test(`${op.method} ${op.path}`, async () => {
      // Every known-bad value in every place, as a caller the route lets in (admin passes every guard).
      const who: Who = op.secured ? "admin" : "anonymous";
      for (const target of targetsOf(op)) for (const value of ALWAYS) await sendRest(op, { value, target, who });
      await sendRest(op, { value: "", target: "path:trailing-slash", who });
      await fc.assert(
        fc.asyncProperty(restRequest(op), (req) => sendRest(op, req)),
        { numRuns: RUNS, seed: SEED },
      );
    }, 60_000);
  }
});

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);

const trpcInput = fc.oneof(
  hostileValue,
  fc.record({ id: hostileValue }),
  fc.record({ name: hostileValue, email: hostileValue, password: hostileValue }),
  fc.record({ limit: hostileValue, cursor: hostileValue, q: hostileValue }),
  fc.record({ idOrSlug: hostileValue }),
  fc.dictionary(fc.string({ maxLength: 12 }), hostileValue, { maxKeys: 4 }),
);

/** Known-bad values in the fields tRPC inputs commonly have, beside the random inputs. */
const ALWAYS_TRPC: unknown[] = ["name", "email", "idOrSlug", "id", "q", "cursor", "limit", "token", "line1"].flatMap(
  (field) => ALWAYS.map((value) => ({ [field]: value })),
);

const trpcBaselines = new Map(
  allOperations(modules).map(([path, op]) => [
    path,
    op.input ? ((sampleOf(z.toJSONSchema(op.input, { io: "input", unrepresentable: "any" }), {}) ?? {}) as object) : {},
  ]),
);

describe("tRPC: no hostile input reaches a 5xx", () => {
  for (const [name, procedure] of procedures) {
    test(name, async () => {
      const baseline = trpcBaselines.get(name) ?? {};
      for (const input of ALWAYS_TRPC) {
        await sendTrpc(name, procedure._def.type === "query", { ...baseline, ...(input as object) }, "admin");
      }
      await fc.assert(
        fc.asyncProperty(trpcInput, fc.constantFrom(...WHO), (input, who) =>
          sendTrpc(name, procedure._def.type === "query", input, who),
        ),
        { numRuns: RUNS, seed: SEED },
      );
    }, 60_000);
  }
});

/** One tRPC call; checks the same as sendRest, with tRPC's error shape. */
async function sendTrpc(name: string, query: boolean, input: unknown, who: Who) {
  const encoded = JSON.stringify(input) ?? "null";
  const res = await t.app.fetch(
    new Request(`http://cartwright.test/trpc/${name}${query ? `?input=${encodeURIComponent(encoded)}` : ""}`, {
      method: query ? "GET" : "POST",
      headers: { ...(await headersOf(who)), "content-type": "application/json" },
      ...(query ? {} : { body: encoded }),
    }),
  );
  const answer = await res.text();
  const context = `${name} as ${who} with ${encoded.slice(0, 120)}: ${res.status} ${answer.slice(0, 300)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(answer.length, context).toBeLessThan(MAX_BODY);
  if (res.status >= 400) {
    expect(JSON.parse(answer), context).toMatchObject({ error: { message: expect.any(String) } });
  }
}

/** A valid value of a JSON schema (required properties only), from its formats, bounds and enums. */
function sampleOf(schema: any, root: any): unknown {
  if (!schema || typeof schema !== "object") return undefined;
  if (schema.$ref) return sampleOf(root.components?.schemas?.[schema.$ref.split("/").at(-1)], root);
  const variant = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variant) return sampleOf(variant.find((v: any) => v.type !== "null") ?? variant[0], root);
  if (schema.enum) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  switch (type) {
    case "object": {
      const required: string[] = schema.required ?? [];
      return Object.fromEntries(required.map((key) => [key, sampleOf(schema.properties?.[key], root)]));
    }
    case "array":
      return [];
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return false;
    case "string": {
      if (schema.format === "email") return `fuzz-${Math.random().toString(36).slice(2, 8)}@example.test`;
      if (schema.format === "uuid") return "01a20160-0000-7000-8000-000000000000";
      if (schema.format === "date-time") return "2026-01-01T00:00:00Z";
      if (schema.pattern === "^[A-Z]{2}$") return "US";
      return "fuzzy value".padEnd(schema.minLength ?? 0, "x").slice(0, schema.maxLength ?? 1000);
    }
  }
  return undefined;
}

/** Percent-encoding that also sends a lone surrogate, as the raw bytes a hostile client would (WTF-8). */
function encodeAny(text: string): string {
  return Array.from(text, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    }
    return encodeURIComponent(ch);
  }).join("");
}
