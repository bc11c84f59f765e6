import { describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const unknownId = "01a20160-0000-7000-8000-0000000000aa";

const adjust = (variantId: string, body: unknown, caller = staff) =>
  caller.rest.post(`/api/v1/admin/inventory/${variantId}/adjustments`, body);
const setLevel = (variantId: string, body: unknown, caller = staff) =>
  caller.rest.put(`/api/v1/admin/inventory/${variantId}`, body);

async function oneVariant(onHand: number, lowStockThreshold = 0, title = "Tee") {
  const product = await makeProduct(t, { title, variants: [{ price: 1000, onHand, lowStockThreshold }] });
  const [variant] = product.variants;
  if (!variant) throw new Error("no variant");
  return { product, variant };
}

describe("POST /api/v1/admin/inventory/{variantId}/adjustments", () => {
  test("adds and removes units and answers the new level", async () => {
    const { product, variant } = await oneVariant(5, 0, "Mug");
    const res = await adjust(variant.id, { delta: 3, reason: "Delivery" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      variantId: variant.id,
      sku: variant.sku,
      productId: product.id,
      productTitle: "Mug",
      variantTitle: "Mug",
      onHand: 8,
      reserved: 0,
      available: 8,
      lowStockThreshold: 0,
    });
    const down = await adjust(variant.id, { delta: -8, reason: "Breakage" });
    expect(down.body).toMatchObject({ onHand: 0, available: 0 });
  });

  test("removing more than is available is a 409 OUT_OF_STOCK saying what is, and changes nothing", async () => {
    const { variant } = await oneVariant(2);
    const res = await adjust(variant.id, { delta: -3, reason: "Count" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "OUT_OF_STOCK", available: 2, errors: [{ path: "delta" }] });
    const [level] = await t.sql`select on_hand from inventory_levels where variant_id = ${variant.id}`;
    expect(level?.on_hand).toBe(2);
    const ledger = await t.sql`select count(*)::int as n from inventory_ledger where variant_id = ${variant.id}`;
    expect(ledger[0]?.n).toBe(1);
  });

  test("names each invalid field: a zero delta, a missing reason, unknown fields", async () => {
    const { variant } = await oneVariant(2);
    const res = await adjust(variant.id, { delta: 0, onHand: 4 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["delta", "onHand", "reason"]);
    const fraction = await adjust(variant.id, { delta: 1.5, reason: "x" });
    expect(fraction.body.errors[0].path).toBe("delta");
  });

  test("an unknown variant is a 404", async () => {
    const res = await adjust(unknownId, { delta: 1, reason: "Delivery" });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
  });

  test("an Idempotency-Key replays the first adjustment instead of applying it twice", async () => {
    const { variant } = await oneVariant(1);
    const headers = { "idempotency-key": `restock-${variant.id}` };
    const body = { delta: 4, reason: "Delivery" };
    const first = await staff.rest.post(`/api/v1/admin/inventory/${variant.id}/adjustments`, body, { headers });
    const again = await staff.rest.post(`/api/v1/admin/inventory/${variant.id}/adjustments`, body, { headers });
    expect(first.body.onHand).toBe(5);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
  });
});

describe("PUT /api/v1/admin/inventory/{variantId}", () => {
  test("sets the count and the threshold; the ledger records the difference", async () => {
    const { variant } = await oneVariant(10);
    const res = await setLevel(variant.id, { onHand: 4, lowStockThreshold: 3, reason: "Stock take" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ onHand: 4, available: 4, lowStockThreshold: 3 });
    const ledger = await staff.rest.get(`/api/v1/admin/inventory/${variant.id}/ledger`);
    expect(ledger.body.items[0]).toMatchObject({ kind: "set", onHandDelta: -6, onHandAfter: 4, reason: "Stock take" });
  });

  test("keeps the threshold when none is given", async () => {
    const { variant } = await oneVariant(10, 2);
    const res = await setLevel(variant.id, { onHand: 7, reason: "Stock take" });
    expect(res.body).toMatchObject({ onHand: 7, lowStockThreshold: 2 });
  });

  test("below what is reserved is a 409 OUT_OF_STOCK", async () => {
    const { variant } = await oneVariant(5);
    await t.sql`update inventory_levels set reserved = 3 where variant_id = ${variant.id}`;
    const res = await setLevel(variant.id, { onHand: 2, reason: "Stock take" });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "OUT_OF_STOCK", available: 2, errors: [{ path: "onHand" }] });
  });

  test("a negative count is a 400 naming onHand; an unknown variant a 404", async () => {
    const { variant } = await oneVariant(5);
    const bad = await setLevel(variant.id, { onHand: -1, reason: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("onHand");
    expect((await setLevel(unknownId, { onHand: 1, reason: "x" })).status).toBe(404);
  });
});

describe("GET /api/v1/admin/inventory", () => {
  test("filters low stock, out of stock and one SKU", async () => {
    const low = await oneVariant(3, 3);
    const fine = await oneVariant(9, 3);
    const out = await oneVariant(0, 0);
    const noThreshold = await oneVariant(1, 0);
    const ids = (res: { body: { items: { variantId: string }[] } }) => res.body.items.map((i) => i.variantId);
    const mine = new Set([low, fine, out, noThreshold].map((v) => v.variant.id));
    const only = (res: { body: { items: { variantId: string }[] } }) => ids(res).filter((id) => mine.has(id));

    const lowRes = await staff.rest.get("/api/v1/admin/inventory?lowStock=true&limit=100");
    expect(lowRes.status).toBe(200);
    expect(only(lowRes)).toEqual([low.variant.id]);
    const outRes = await staff.rest.get("/api/v1/admin/inventory?outOfStock=true&limit=100");
    expect(only(outRes)).toEqual([out.variant.id]);
    const inRes = await staff.rest.get("/api/v1/admin/inventory?outOfStock=false&limit=100");
    expect(only(inRes).sort()).toEqual([low, fine, noThreshold].map((v) => v.variant.id).sort());
    const bySku = await staff.rest.get(`/api/v1/admin/inventory?sku=${encodeURIComponent(fine.variant.sku)}`);
    expect(bySku.body.items).toEqual([
      expect.objectContaining({
        variantId: fine.variant.id,
        sku: fine.variant.sku,
        available: 9,
        lowStockThreshold: 3,
      }),
    ]);
  });

  test("pages newest variants first with a cursor, each level once", async () => {
    for (let i = 0; i < 5; i++) await oneVariant(i);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const res = await staff.rest.get(`/api/v1/admin/inventory?limit=2${query}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { variantId: string }) => i.variantId));
      cursor = res.body.nextCursor;
    } while (cursor);
    const all = await t.sql`select variant_id from inventory_levels order by variant_id desc`;
    expect(seen).toEqual(all.map((r) => r.variant_id));
  });

  test("a forged cursor or a bad flag is a 400 naming it", async () => {
    const cursor = await staff.rest.get("/api/v1/admin/inventory?cursor=bm9wZQ");
    expect(cursor.status).toBe(400);
    expect(cursor.body.errors[0].path).toBe("cursor");
    const flag = await staff.rest.get("/api/v1/admin/inventory?lowStock=yes");
    expect(flag.status).toBe(400);
    expect(flag.body.errors[0].path).toBe("lowStock");
  });
});

describe("GET /api/v1/admin/inventory/{variantId}/ledger", () => {
  test("lists every change newest first, with who made it, and pages", async () => {
    const { variant } = await oneVariant(5);
    const user = staff.actor.kind === "user" ? staff.actor.userId : "";
    await adjust(variant.id, { delta: -1, reason: "Sold at the fair" });
    await adjust(variant.id, { delta: 2, reason: "Returned" });
    const first = await staff.rest.get(`/api/v1/admin/inventory/${variant.id}/ledger?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toMatchObject([
      { kind: "adjust", onHandDelta: 2, reservedDelta: 0, onHandAfter: 6, reservedAfter: 0, reason: "Returned" },
      { kind: "adjust", onHandDelta: -1, onHandAfter: 4, reason: "Sold at the fair", actor: `user:${user}` },
    ]);
    const rest = await staff.rest.get(`/api/v1/admin/inventory/${variant.id}/ledger?cursor=${first.body.nextCursor}`);
    expect(rest.body).toMatchObject({ items: [{ kind: "initial", onHandDelta: 5, orderId: null }], nextCursor: null });
  });

  test("an unknown variant is a 404", async () => {
    expect((await staff.rest.get(`/api/v1/admin/inventory/${unknownId}/ledger`)).status).toBe(404);
  });
});

describe("the product's in stock", () => {
  test("flips when the last unit goes and when one comes back, on the storefront's listing", async () => {
    const { product, variant } = await oneVariant(1);
    const inStock = async () =>
      (await t.sql`select in_stock from products where id = ${product.id}`)[0]?.in_stock as boolean;
    expect(await inStock()).toBe(true);
    await adjust(variant.id, { delta: -1, reason: "Sold" });
    expect(await inStock()).toBe(false);
    await setLevel(variant.id, { onHand: 2, reason: "Found two" });
    expect(await inStock()).toBe(true);
  });
});

describe("tRPC admin.inventory", () => {
  test("serves the same operations", async () => {
    const { variant } = await oneVariant(2);
    const level = await staff.trpc.admin.inventory.adjust.mutate({ variantId: variant.id, delta: -2, reason: "Sold" });
    expect(level).toMatchObject({ onHand: 0, available: 0 });
    const set = await staff.trpc.admin.inventory.set.mutate({ variantId: variant.id, onHand: 3, reason: "Count" });
    expect(set.onHand).toBe(3);
    const list = await staff.trpc.admin.inventory.list.query({ sku: variant.sku });
    expect(list.items.map((i) => i.onHand)).toEqual([3]);
    const ledger = await staff.trpc.admin.inventory.ledger.query({ variantId: variant.id });
    expect(ledger.items.map((e) => e.kind)).toEqual(["set", "adjust", "initial"]);
    const refused = await staff.trpc.admin.inventory.adjust
      .mutate({ variantId: variant.id, delta: -4, reason: "Sold" })
      .catch((e) => e);
    expect(refused.data).toMatchObject({ code: "OUT_OF_STOCK", httpStatus: 409 });
  });
});

describe("access", () => {
  test("guests are 401, customers 403", async () => {
    const { variant } = await oneVariant(2);
    expect((await t.rest.get("/api/v1/admin/inventory")).status).toBe(401);
    expect((await adjust(variant.id, { delta: 1, reason: "x" }, t.as(await t.user("customer")))).status).toBe(403);
  });

  test("API keys: catalog:read reads, inventory:write changes, neither does the other", async () => {
    const { variant } = await oneVariant(2);
    const reader = await t.asKey(["catalog:read"]);
    const writer = await t.asKey(["inventory:write"]);
    expect((await reader.rest.get("/api/v1/admin/inventory")).status).toBe(200);
    expect((await reader.rest.get(`/api/v1/admin/inventory/${variant.id}/ledger`)).status).toBe(200);
    const denied = await adjust(variant.id, { delta: 1, reason: "x" }, reader);
    expect(denied.status).toBe(403);
    expect(denied.body.missingScope).toBe("inventory:write");
    const written = await adjust(variant.id, { delta: 1, reason: "ERP sync" }, writer);
    expect(written.status).toBe(200);
    expect((await setLevel(variant.id, { onHand: 1, reason: "ERP sync" }, writer)).status).toBe(200);
    expect((await writer.rest.get("/api/v1/admin/inventory")).status).toBe(403);
    const [entry] =
      await t.sql`select actor from inventory_ledger where variant_id = ${variant.id} and kind = 'adjust'`;
    expect(entry?.actor).toMatch(/^key:/);
  });
});
