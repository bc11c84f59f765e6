import { describe, expect, test } from "bun:test";
import { addToCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();

const staff = async () => t.as(await t.user("admin"));

describe("a cart read prices and checks every line afresh", () => {
  test("a line whose price changed since it was added is flagged, and the shopper pays today's price", async () => {
    const p = await makeProduct(t, { title: "Kettle", variants: [{ price: 3000, onHand: 10 }] });
    const other = await makeProduct(t, { title: "Teapot", variants: [{ price: 2000, onHand: 10 }] });
    const cart = await guestCart(t);
    await addToCart(cart, p.variants[0]?.id as string, 2);
    await addToCart(cart, other.variants[0]?.id as string, 1);

    const admin = await staff();
    const changed = await admin.rest.patch(`/api/v1/admin/variants/${p.variants[0]?.id}`, { price: 2700 });
    expect(changed.status).toBe(200);

    const { body } = await cart.rest.get(cart.path());
    const [kettle, teapot] = body.items;
    expect(kettle).toMatchObject({ unitPrice: 2700, addedUnitPrice: 3000, priceChanged: true, subtotal: 5400 });
    expect(teapot).toMatchObject({ priceChanged: false });
    expect(body.totals.subtotal).toBe(5400 + 2000);
    expect(body.notices).toEqual([
      { kind: "price_changed", itemId: kettle.id, message: expect.stringContaining("2700") },
    ]);

    // Changing the quantity shows the shopper today's price: the flag clears.
    const updated = await cart.trpc.cart.updateItem.mutate({ cartId: cart.id, itemId: kettle.id, quantity: 1 });
    expect(updated.items[0]).toMatchObject({ addedUnitPrice: 2700, priceChanged: false });
    expect(updated.notices).toEqual([]);
  });

  test("archived, deleted and short items are flagged, never dropped; only buyable lines are priced", async () => {
    const archived = await makeProduct(t, { title: "Old lamp", variants: [{ price: 1000, onHand: 5 }] });
    const deleted = await makeProduct(t, { title: "Gone vase", variants: [{ price: 1500, onHand: 5 }] });
    const short = await makeProduct(t, { title: "Rare mug", variants: [{ price: 800, onHand: 5 }] });
    const cart = await guestCart(t);
    for (const p of [archived, deleted, short]) await addToCart(cart, p.variants[0]?.id as string, 3);

    const admin = await staff();
    expect((await admin.rest.patch(`/api/v1/admin/products/${archived.id}`, { status: "archived" })).status).toBe(200);
    expect((await admin.rest.delete(`/api/v1/admin/products/${deleted.id}`)).status).toBe(204);
    const moved = await admin.rest.put(`/api/v1/admin/inventory/${short.variants[0]?.id}`, {
      onHand: 2,
      reason: "recount",
    });
    expect(moved.status).toBe(200);

    const { body } = await cart.rest.get(cart.path());
    expect(body.items.map((i: { title: string; status: string }) => [i.title, i.status])).toEqual([
      ["Old lamp", "unavailable"],
      ["Gone vase", "deleted"],
      ["Rare mug", "insufficient_stock"],
    ]);
    expect(body.items[1]).toMatchObject({ variantId: null, sku: deleted.variants[0]?.sku, subtotal: 0 });
    expect(body.items[2]).toMatchObject({ available: 2, subtotal: 2400 });
    expect(body.totals.subtotal).toBe(2400);
    expect(body.notices.map((n: { kind: string }) => n.kind)).toEqual([
      "item_unavailable",
      "item_unavailable",
      "insufficient_stock",
    ]);
  });

  test("a cart read just made is not served again once a price, stock or status changes", async () => {
    const p = await makeProduct(t, { title: "Lantern", variants: [{ price: 1500, onHand: 10 }] });
    const variantId = p.variants[0]?.id as string;
    const cart = await guestCart(t);
    await addToCart(cart, variantId, 2);
    expect((await cart.rest.get(cart.path())).body.items[0]).toMatchObject({ unitPrice: 1500, status: "ok" });

    const admin = await staff();
    await admin.rest.patch(`/api/v1/admin/variants/${variantId}`, { price: 1200 });
    expect((await cart.rest.get(cart.path())).body.items[0]).toMatchObject({ unitPrice: 1200, priceChanged: true });
    await admin.rest.put(`/api/v1/admin/inventory/${variantId}`, { onHand: 1, reason: "recount" });
    expect((await cart.trpc.cart.get.query({ cartId: cart.id })).items[0]).toMatchObject({
      status: "insufficient_stock",
      available: 1,
    });
    await admin.rest.patch(`/api/v1/admin/products/${p.id}`, { status: "archived" });
    expect((await cart.rest.get(cart.path())).body.items[0]).toMatchObject({ status: "unavailable", subtotal: 0 });
    // And its own writes: the next read shows them.
    await cart.rest.delete(cart.path("/items"));
    expect((await cart.rest.get(cart.path())).body.items).toEqual([]);
  });
});
