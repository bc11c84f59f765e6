import { describe, expect, test } from "bun:test";
import { useTestApp } from "../harness";

// What a merchant and a shopper see across the catalog's parts: the admin API writes, and the
// storefront, its search and its HTTP caching answer the change on the very next read, on both
// transports.

const t = await useTestApp();
const staff = t.as(await t.user("staff"));

let lamps = 0;

async function createLamp(status: "draft" | "active") {
  const n = ++lamps;
  const res = await staff.rest.post("/api/v1/admin/products", {
    title: "Brass Reading Lamp",
    slug: `brass-reading-lamp-${n}`,
    description: "A warm light for long evenings",
    status,
    options: [{ name: "Finish", values: ["Brass", "Black"] }],
    variants: [
      { sku: `LAMP-${n}-BRASS`, price: 8900, options: { Finish: "Brass" }, onHand: 1 },
      { sku: `LAMP-${n}-BLACK`, price: 9900, options: { Finish: "Black" }, onHand: 4 },
    ],
  });
  expect(res.status).toBe(201);
  // Two variants, as created: Brass, then Black.
  return res.body as { id: string; slug: string; variants: [{ id: string }, { id: string }] };
}

const restPrice = async (slug: string) => (await t.rest.get(`/api/v1/products/${slug}`)).body.price.min;
const trpcPrice = async (slug: string) => (await t.trpc.catalog.products.get.query({ idOrSlug: slug })).price.min;
const listedPrice = async (id: string) =>
  (await t.trpc.catalog.products.list.query({ limit: 100 })).items.find((p) => p.id === id)?.price.min;
const searchedIds = async (q: string) =>
  (await t.rest.get(`/api/v1/search/products?q=${q}`)).body.items.map((p: { id: string }) => p.id);

describe("a draft, then published", () => {
  test("is invisible to shoppers on both transports and in search until the admin publishes it", async () => {
    const lamp = await createLamp("draft");
    expect((await t.rest.get(`/api/v1/products/${lamp.slug}`)).status).toBe(404);
    expect(t.trpc.catalog.products.get.query({ idOrSlug: lamp.id })).rejects.toMatchObject({
      data: { code: "NOT_FOUND" },
    });
    expect(await searchedIds("lamp")).not.toContain(lamp.id);
    // A typo (a transposition) that search corrects once the lamp is published.
    expect((await t.trpc.search.products.query({ q: "raeding" })).items.map((p) => p.id)).not.toContain(lamp.id);

    expect((await staff.rest.patch(`/api/v1/admin/products/${lamp.id}`, { status: "active" })).status).toBe(200);
    expect(await restPrice(lamp.slug)).toBe(8900);
    expect(await listedPrice(lamp.id)).toBe(8900);
    expect(await searchedIds("raeding")).toContain(lamp.id);
  });
});

describe("a price change", () => {
  test("shows on the next read everywhere, cached pages and ETags included", async () => {
    const lamp = await createLamp("active");
    // Warm every cache: detail (both transports), the list page, search, and the HTTP body with its ETag.
    expect(await restPrice(lamp.slug)).toBe(8900);
    expect(await trpcPrice(lamp.slug)).toBe(8900);
    expect(await listedPrice(lamp.id)).toBe(8900);
    const first = await t.app.fetch(new Request(`http://cartwright.test/api/v1/products/${lamp.slug}`));
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();

    const res = await staff.rest.patch(`/api/v1/admin/variants/${lamp.variants[0].id}`, { price: 7900 });
    expect(res.status).toBe(200);

    expect(await restPrice(lamp.slug)).toBe(7900);
    expect(await trpcPrice(lamp.slug)).toBe(7900);
    expect(await listedPrice(lamp.id)).toBe(7900);
    const search = await t.rest.get("/api/v1/search/products?q=brass");
    expect(search.body.items.find((p: { id: string }) => p.id === lamp.id)?.price.min).toBe(7900);
    const revalidated = await t.app.fetch(
      new Request(`http://cartwright.test/api/v1/products/${lamp.slug}`, { headers: { "if-none-match": etag ?? "" } }),
    );
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.get("etag")).not.toBe(etag);
    expect((await revalidated.json()).price.min).toBe(7900);
  });

  test("reads racing the write never keep the old price once the admin call has answered", async () => {
    const lamp = await createLamp("active");
    for (const price of [7000, 6500, 6000]) {
      let stop = false;
      const racing = (async () => {
        while (!stop) {
          await Promise.all([restPrice(lamp.slug), listedPrice(lamp.id)]);
          await Bun.sleep(0);
        }
      })();
      await Bun.sleep(5);
      const res = await staff.rest.patch(`/api/v1/admin/variants/${lamp.variants[0].id}`, { price });
      expect(res.status).toBe(200);
      expect(await restPrice(lamp.slug)).toBe(price);
      expect(await listedPrice(lamp.id)).toBe(price);
      stop = true;
      await racing;
      // And after the racers: nothing they cached is older than the write.
      expect(await trpcPrice(lamp.slug)).toBe(price);
      expect(await listedPrice(lamp.id)).toBe(price);
    }
  });
});

describe("stock through the inventory API", () => {
  test("the last unit sold out shows as out of stock at once, and the inStock filter follows", async () => {
    const lamp = await createLamp("active");
    const brass = lamp.variants[0].id;
    const black = lamp.variants[1].id;
    expect((await staff.rest.put(`/api/v1/admin/inventory/${black}`, { onHand: 0, reason: "stock take" })).status).toBe(
      200,
    );
    const inStock = async () =>
      (await t.rest.get("/api/v1/products?inStock=true&limit=100")).body.items.some(
        (p: { id: string }) => p.id === lamp.id,
      );
    expect(await inStock()).toBe(true);

    const sold = await staff.rest.post(`/api/v1/admin/inventory/${brass}/adjustments`, { delta: -1, reason: "sold" });
    expect(sold.status).toBe(200);
    const page = (await t.rest.get(`/api/v1/products/${lamp.slug}`)).body;
    expect(page.inStock).toBe(false);
    expect(page.variants.map((v: { available: number }) => v.available)).toEqual([0, 0]);
    expect(await inStock()).toBe(false);

    const again = await staff.rest.post(`/api/v1/admin/inventory/${brass}/adjustments`, { delta: -1, reason: "sold" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("OUT_OF_STOCK");
  });
});
