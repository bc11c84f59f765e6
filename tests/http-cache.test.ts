/**
 * HTTP caching of public reads (issue 14, "Caching"): an ETag and a public,
 * short Cache-Control for anonymous callers so a CDN may serve them, 304 for a
 * current If-None-Match, the same on tRPC GETs, and no-store for everything
 * that depends on the caller or is an error. On the in-process store, on
 * Redis when the run has one, and on a Redis that is down.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { CATALOG_PUBLIC_CACHE } from "../src/modules/catalog/cache-tags";
import { createTestApp, hasRedis, type TestApp, useTestApp } from "./harness";
import { freePort } from "./services";

// What the category reads declare (src/modules/catalog/cache-tags.ts), as the header spells it.
const PUBLIC = `public, max-age=${CATALOG_PUBLIC_CACHE.maxAgeSeconds}, stale-while-revalidate=${CATALOG_PUBLIC_CACHE.staleWhileRevalidateSeconds}`;
const ETAG = /^"[0-9a-z]+"$/;

const get = (t: TestApp, path: string, headers: Record<string, string> = {}) =>
  t.app.fetch(new Request(`http://cartwright.test${path}`, { headers }));
const trpcInput = (input: unknown) => encodeURIComponent(JSON.stringify(input));

async function seedTree(t: TestApp) {
  const admin = (await t.user("admin")).headers;
  const created = await t.rest.post("/api/v1/admin/categories", { name: "Shoes" }, { headers: admin });
  await t.rest.post("/api/v1/admin/categories", { name: "Boots", parentId: created.body.id }, { headers: admin });
  return admin;
}

const stores = [
  { name: "the in-process store", redis: false, available: true },
  { name: "Redis", redis: true, available: hasRedis },
];

for (const store of stores) {
  describe.skipIf(!store.available)(`on ${store.name}`, async () => {
    const t = await useTestApp({ redis: store.redis });
    const admin = await seedTree(t);

    describe("REST", () => {
      test("an anonymous read carries a strong ETag and the declared public Cache-Control", async () => {
        const res = await t.rest.get("/api/v1/categories");
        expect(res.status).toBe(200);
        expect(res.headers.get("cache-control")).toBe(PUBLIC);
        expect(res.headers.get("etag")).toMatch(ETAG);
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(res.body.items.map((c: { slug: string }) => c.slug)).toEqual(["shoes"]);
        // The same body, byte for byte, on the next hit: the same ETag.
        expect((await t.rest.get("/api/v1/categories")).headers.get("etag")).toBe(res.headers.get("etag"));
      });

      test("If-None-Match with the current ETag is 304 with the ETag and no body", async () => {
        const etag = (await t.rest.get("/api/v1/categories")).headers.get("etag") as string;
        for (const ifNoneMatch of [etag, `"stale", W/${etag}`, "*"]) {
          const res = await get(t, "/api/v1/categories", { "if-none-match": ifNoneMatch });
          expect(res.status).toBe(304);
          expect(await res.text()).toBe("");
          expect(res.headers.get("etag")).toBe(etag);
          expect(res.headers.get("cache-control")).toBe(PUBLIC);
        }
      });

      test("a stale ETag gets 200 with the body", async () => {
        const res = await t.rest.get("/api/v1/categories", { headers: { "if-none-match": '"stale"' } });
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(1);
      });

      test("after an admin creates a category, the next read has a new ETag and the old one is 200", async () => {
        const before = (await t.rest.get("/api/v1/categories")).headers.get("etag") as string;
        await t.rest.post("/api/v1/admin/categories", { name: "Hats" }, { headers: admin });
        const after = await t.rest.get("/api/v1/categories", { headers: { "if-none-match": before } });
        expect(after.status).toBe(200);
        expect(after.headers.get("etag")).not.toBe(before);
        expect(after.body.items.map((c: { slug: string }) => c.slug)).toContain("hats");
      });

      test("one category by slug: ETag, 304; an unknown one is a 404 that is never stored", async () => {
        const found = await t.rest.get("/api/v1/categories/shoes");
        expect(found.status).toBe(200);
        expect(found.headers.get("cache-control")).toBe(PUBLIC);
        const etag = found.headers.get("etag") as string;
        expect((await get(t, "/api/v1/categories/shoes", { "if-none-match": etag })).status).toBe(304);
        const missing = await t.rest.get("/api/v1/categories/nowhere", { headers: { "if-none-match": "*" } });
        expect(missing.status).toBe(404);
        expect(missing.headers.get("cache-control")).toBe("no-store");
        expect(missing.headers.has("etag")).toBe(false);
      });

      test("a signed-in caller or an API key gets the same body, no-store and no ETag", async () => {
        const anonymous = await t.rest.get("/api/v1/categories");
        const customer = (await t.user()).headers;
        const key = (await t.asKey(["catalog:read"])).headers;
        for (const headers of [customer, key, admin]) {
          const res = await t.rest.get("/api/v1/categories", { headers });
          expect(res.body).toEqual(anonymous.body);
          expect(res.headers.get("cache-control")).toBe("no-store");
          expect(res.headers.has("etag")).toBe(false);
          // Its If-None-Match counts for nothing: no validator was given to it.
          const conditional = await get(t, "/api/v1/categories", {
            ...headers,
            "if-none-match": anonymous.headers.get("etag") as string,
          });
          expect(conditional.status).toBe(200);
        }
      });

      test("invalid input and failed credentials are errors, never stored", async () => {
        const long = await t.rest.get(`/api/v1/categories/${"x".repeat(200)}`);
        expect(long.status).toBe(400);
        expect(long.headers.get("cache-control")).toBe("no-store");
        const badToken = await get(t, "/api/v1/categories", { authorization: "Bearer not-a-session" });
        expect(badToken.status).toBe(401);
        expect(badToken.headers.get("cache-control")).toBe("no-store");
      });
    });

    describe("tRPC", () => {
      test("a single GET query answers tRPC's body with the ETag and Cache-Control; If-None-Match is 304", async () => {
        const rest = await t.rest.get("/api/v1/categories");
        const res = await get(t, "/trpc/catalog.categories.list");
        expect(res.status).toBe(200);
        expect(res.headers.get("cache-control")).toBe(PUBLIC);
        expect(res.headers.get("content-type")).toBe("application/json");
        expect(res.headers.get("ratelimit-limit")).not.toBeNull();
        expect(await res.json()).toEqual({ result: { data: rest.body } });
        const etag = res.headers.get("etag") as string;
        expect(etag).toMatch(ETAG);
        const again = await get(t, "/trpc/catalog.categories.list", { "if-none-match": etag });
        expect(again.status).toBe(304);
        expect(await again.text()).toBe("");
        expect(again.headers.get("etag")).toBe(etag);
      });

      test("the typed client (a batch of one) gets the same value, cacheable too", async () => {
        expect(await t.trpc.catalog.categories.list.query()).toEqual((await t.rest.get("/api/v1/categories")).body);
        const res = await get(t, `/trpc/catalog.categories.list?batch=1&input=${trpcInput({})}`);
        expect(res.headers.get("cache-control")).toBe(PUBLIC);
        expect(await res.json()).toEqual([{ result: { data: expect.objectContaining({ items: expect.any(Array) }) } }]);
      });

      test("a batch of public queries is cached as one; its ETag changes when any of them does", async () => {
        const path = `/trpc/catalog.categories.list,catalog.categories.get?batch=1&input=${trpcInput({ 1: { idOrSlug: "shoes" } })}`;
        const res = await get(t, path);
        expect(res.headers.get("cache-control")).toBe(PUBLIC);
        const [list, one] = (await res.json()) as { result: { data: { slug?: string } } }[];
        expect(list?.result.data).toEqual((await t.rest.get("/api/v1/categories")).body);
        expect(one?.result.data.slug).toBe("shoes");
        const etag = res.headers.get("etag") as string;
        expect((await get(t, path, { "if-none-match": etag })).status).toBe(304);
        await t.rest.post("/api/v1/admin/categories", { name: "Gloves" }, { headers: admin });
        const changed = await get(t, path, { "if-none-match": etag });
        expect(changed.status).toBe(200);
        expect(changed.headers.get("etag")).not.toBe(etag);
      });

      test("a batch with a private query, and a signed-in caller, stay no-store", async () => {
        const customer = (await t.user()).headers;
        const cases: [string, Record<string, string>][] = [
          [`/trpc/catalog.categories.list,me.get?batch=1&input=${trpcInput({})}`, customer],
          ["/trpc/catalog.categories.list", customer],
          ["/trpc/catalog.categories.list", admin],
        ];
        for (const [path, headers] of cases) {
          const res = await get(t, path, headers);
          expect({ path, status: res.status }).toEqual({ path, status: 200 });
          expect(res.headers.get("cache-control")).toBe("no-store");
          expect(res.headers.has("etag")).toBe(false);
        }
      });

      test("errors keep tRPC's shape and status and are never stored", async () => {
        const missing = await get(t, `/trpc/catalog.categories.get?input=${trpcInput({ idOrSlug: "nowhere" })}`);
        expect(missing.status).toBe(404);
        expect(missing.headers.get("cache-control")).toBe("no-store");
        expect(missing.headers.has("etag")).toBe(false);
        const body = await missing.json();
        expect(body.error.data).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, path: "catalog.categories.get" });
        expect(body.error.data.stack).toBeUndefined();
        // The same error as tRPC's own handler gives (here for a signed-in caller).
        const customer = (await t.user()).headers;
        const viaTrpc = await get(
          t,
          `/trpc/catalog.categories.get?input=${trpcInput({ idOrSlug: "nowhere" })}`,
          customer,
        );
        const { requestId: _a, ...expected } = (await viaTrpc.json()).error.data;
        const { requestId: _b, ...actual } = body.error.data;
        expect(actual).toEqual(expected);

        const invalid = await get(t, `/trpc/catalog.categories.get?input=${trpcInput({ idOrSlug: "" })}`);
        expect(invalid.status).toBe(400);
        expect((await invalid.json()).error.data.errors[0].path).toBe("idOrSlug");
        const notJson = await get(t, "/trpc/catalog.categories.get?input=%7Bnope");
        expect(notJson.status).toBe(400);
        for (const res of [invalid, notJson]) expect(res.headers.get("cache-control")).toBe("no-store");

        const mixed = await get(
          t,
          `/trpc/catalog.categories.list,catalog.categories.get?batch=1&input=${trpcInput({ 1: { idOrSlug: "nowhere" } })}`,
        );
        expect(mixed.status).toBe(207);
        expect(mixed.headers.get("cache-control")).toBe("no-store");
        const [ok, failed] = await mixed.json();
        expect(ok.result.data.items).toBeArray();
        expect(failed.error.data.code).toBe("NOT_FOUND");
      });

      test("each call counts once against the caller's limit, answered or not", async () => {
        const remaining = async (path: string) =>
          Number((await get(t, path, { "x-forwarded-for": "203.0.113.9" })).headers.get("ratelimit-remaining"));
        const first = await remaining("/trpc/catalog.categories.list");
        expect(await remaining("/trpc/catalog.categories.list")).toBe(first - 1);
        expect(await remaining(`/trpc/catalog.categories.get?input=${trpcInput({ idOrSlug: "nowhere" })}`)).toBe(
          first - 2,
        );
      });
    });
  });
}

describe("over the rate limit", async () => {
  const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "2" } });
  test("a public tRPC query is refused with 429 and Retry-After, not stored", async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await get(t, "/trpc/catalog.categories.list"));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 429]);
    const refused = answers[2] as Response;
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("cache-control")).toBe("no-store");
    expect((await refused.json()).error.data.code).toBe("RATE_LIMITED");
  });
});

describe("with Redis down", async () => {
  const t = await createTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
  afterAll(() => t.close());
  const admin = await seedTree(t);

  test("public reads answer uncached with their ETag, 304 and the latest data", async () => {
    for (const path of ["/api/v1/categories", "/trpc/catalog.categories.list"]) {
      const res = await get(t, path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe(PUBLIC);
      const etag = res.headers.get("etag") as string;
      // Encoded anew each time, from the same data: the same ETag.
      expect((await get(t, path, { "if-none-match": etag })).status).toBe(304);
    }
    await t.rest.post("/api/v1/admin/categories", { name: "Scarves" }, { headers: admin });
    const list = await t.rest.get("/api/v1/categories");
    expect(list.body.items.map((c: { slug: string }) => c.slug)).toContain("scarves");
  });
});
