import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../../../src/app";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { READY_ENV, readyDetails } from "../../../../tests/ready";
import { STAND_IN_API_KEY, useTypesenseStandIn } from "../../../../tests/typesense-stand-in";
import type { SearchRequest } from "../../../lib/catalog-search";
import { createCatalogSearch } from "../adapters";
import { FallbackSearch } from "../fallback-search";
import { PostgresSearch } from "../postgres-search";
import { TypesenseSearch } from "../typesense-search";

const { standIn, env } = useTypesenseStandIn();
const t = await useTestApp({ env: { ...env, ...READY_ENV } });
const RETRY_MS = 150;
const fallback = new FallbackSearch(
  new TypesenseSearch({ url: standIn.url, apiKey: STAND_IN_API_KEY }),
  new PostgresSearch(t.deps.database.db, t.deps.cache),
  t.deps.log,
  { retryAfterMs: RETRY_MS },
);
// The app with this fallback (its short retry) behind /ready.
const app = createApp({ ...t.deps, search: fallback, workerStatus: () => "disabled" });
const ready = () => readyDetails(app);
const lamps: SearchRequest = { q: "lamp", filters: {}, sort: "newest", limit: 10, page: 1 };
let lamp: string;

beforeAll(async () => {
  lamp = (await makeProduct(t, { title: "Brass Lamp" })).id;
  await makeProduct(t, { title: "Oak Table" });
  await t.runJobs();
});

describe("search with Typesense away (Typesense stand-in)", () => {
  test("while Typesense answers, searches go to it and /ready says search ok", async () => {
    const before = standIn.received.searches.length;
    expect((await fallback.search(lamps)).ids).toEqual([lamp]);
    expect(standIn.received.searches.length).toBe(before + 1);
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", checks: { search: "ok" } });
  });

  test("when it stops, searches still answer, from Postgres, and /ready says search degraded and why", async () => {
    await standIn.stop();
    expect((await fallback.search(lamps)).ids).toEqual([lamp]);
    const { status, body } = await ready();
    expect(status).toBe(200);
    expect(body.status).toBe("degraded");
    expect(body.checks.search).toBe("degraded");
    expect(body.details.search).toContain("refused the connection");
    expect(body.details.search).toContain("searching with postgres");
    // Everyone else hears only that it is degraded.
    const open = await app.fetch(new Request("http://cartwright.test/ready"));
    expect(await open.json()).toEqual({ status: "degraded" });
  });

  test("index updates do not fall back: they fail, for the job to retry", async () => {
    await expect(fallback.apply({ upserted: [], removed: [lamp] })).rejects.toThrow();
  });

  test("when it is back, the next probe after the retry delay finds it and searches return to it", async () => {
    standIn.start();
    await Bun.sleep(RETRY_MS + 50);
    expect((await ready()).body).toMatchObject({ status: "ok", checks: { search: "ok" } });
    const before = standIn.received.searches.length;
    expect((await fallback.search(lamps)).ids).toEqual([lamp]);
    expect(standIn.received.searches.length).toBe(before + 1);
  });

  test("a Typesense that lost its collection degrades too, and says so", async () => {
    const target = standIn.aliases.get("products") as string;
    standIn.aliases.delete("products");
    try {
      expect((await fallback.search(lamps)).ids).toEqual([lamp]);
      const { body } = await ready();
      expect(body.checks.search).toBe("degraded");
      expect(body.details.search).toContain("404");
    } finally {
      standIn.aliases.set("products", target);
    }
    await Bun.sleep(RETRY_MS + 50);
    expect((await ready()).body.checks.search).toBe("ok");
  });

  test("a filter Typesense cannot express is answered by Postgres without degrading", async () => {
    const answer = await fallback.search({ ...lamps, filters: { tag: "a`b" } });
    expect(answer.ids).toEqual([]);
    expect((await ready()).body.checks.search).toBe("ok");
  });

  describe("a Typesense that accepts connections and never answers", () => {
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    afterAll(() => silent.stop(true));

    test("costs a search its short timeout, then Postgres answers", async () => {
      const slow = new FallbackSearch(
        new TypesenseSearch({ url: `http://127.0.0.1:${silent.port}`, apiKey: "x", timeoutSeconds: 0.2 }),
        new PostgresSearch(t.deps.database.db, t.deps.cache),
        t.deps.log,
      );
      const started = performance.now();
      expect((await slow.search(lamps)).ids).toEqual([lamp]);
      expect(performance.now() - started).toBeLessThan(2000);
      expect((await slow.health()).detail).toContain("did not answer in time");
      // Within the retry delay, searches skip it altogether.
      const again = performance.now();
      await slow.search(lamps);
      expect(performance.now() - again).toBeLessThan(150);
    });

    test("keeps /ready within its 1.5 s, whatever the client's own timeout", async () => {
      const hung = new FallbackSearch(
        new TypesenseSearch({ url: `http://127.0.0.1:${silent.port}`, apiKey: "x" }),
        new PostgresSearch(t.deps.database.db, t.deps.cache),
        t.deps.log,
      );
      const started = performance.now();
      expect(await hung.health()).toMatchObject({ status: "degraded", detail: expect.stringContaining("1.5 s") });
      expect(performance.now() - started).toBeLessThan(2500);
    });
  });
});

describe("createCatalogSearch", () => {
  const db = () => t.deps.database.db;
  test("is Postgres without TYPESENSE_URL, and Typesense (with the fallback) with it", () => {
    expect(createCatalogSearch({ config: {}, db: db(), cache: t.deps.cache, log: t.deps.log }).name).toBe("postgres");
    expect(createCatalogSearch({ config: env, db: db(), cache: t.deps.cache, log: t.deps.log })).toBeInstanceOf(
      FallbackSearch,
    );
    expect(t.deps.search).toBeInstanceOf(FallbackSearch);
  });

  test("refuses TYPESENSE_URL without its API key, naming the variable", () => {
    expect(() =>
      createCatalogSearch({ config: { TYPESENSE_URL: standIn.url }, db: db(), cache: t.deps.cache, log: t.deps.log }),
    ).toThrow("TYPESENSE_API_KEY");
  });
});
