import { describe, expect, test } from "bun:test";
import { createClient, MAX_BATCH_SIZE } from "../client/src/index";
import { TRPC_MAX_BATCH } from "../src/app";
import { useTestApp } from "./harness";

const t = await useTestApp({ env: { API_RATE_LIMIT_PER_MINUTE: "1000" } });

describe("the client's batches fit the server's limit", () => {
  test("the client splits at the size the server accepts", () => {
    expect(MAX_BATCH_SIZE).toBe(TRPC_MAX_BATCH);
  });

  test("25 calls in one tick go as two requests the server answers, not one it refuses", async () => {
    const sizes: number[] = [];
    const api = createClient({
      url: "http://cartwright.test",
      fetch: async (input, init) => {
        const url = new URL(String(input));
        sizes.push(url.pathname.replace("/trpc/", "").split(",").length);
        return t.app.fetch(new Request(url, init as RequestInit));
      },
    });
    const trees = await Promise.all(Array.from({ length: 25 }, () => api.catalog.categories.list.query()));
    expect(trees).toHaveLength(25);
    expect(sizes).toEqual([20, 5]);
  });
});
