import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { hashToken } from "../../../lib/tokens";

const t = await useTestApp();

const product = (price = 1250, onHand = 10) =>
  makeProduct(t, { title: "Canvas tote", variants: [{ price, onHand, options: {} }] });

describe("createCart", () => {
  test("a guest gets a cart and its token once; only the token's hash is stored", async () => {
    const res = await t.rest.post("/api/v1/carts", {});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ owner: "guest", currency: "USD", items: [], itemCount: 0 });
    expect(res.body.token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
    const expiresIn = Date.parse(res.body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(29.9 * 86_400_000);
    expect(expiresIn).toBeLessThan(30.1 * 86_400_000);
    const [row] = await t.sql`select token_hash from carts where id = ${res.body.id}`;
    expect(row?.token_hash).toBe(hashToken(res.body.token));

    const read = await t.rest.get(`/api/v1/carts/${res.body.id}`, { headers: { "x-cart-token": res.body.token } });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("token");
  });

  test("a signed-in customer gets the same active cart each time, with no token", async () => {
    const user = await t.user();
    const first = await t.rest.post("/api/v1/carts", {}, { headers: user.headers });
    const again = await t.as(user).trpc.cart.create.mutate({});
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ owner: "customer", token: null, expiresAt: null });
    expect(again.id).toBe(first.body.id);
  });
});

describe("addItem, updateItem, removeItem, clear", () => {
  test("a guest builds a cart line by line, priced in integers", async () => {
    const cart = await guestCart(t);
    const tote = await product(1250);
    const mug = await makeProduct(t, { title: "Mug", variants: [{ price: 899, onHand: 5 }] });

    let body = await addToCart(cart, tote.variants[0]?.id as string, 2);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      quantity: 2,
      unitPrice: 1250,
      subtotal: 2500,
      status: "ok",
      priceChanged: false,
    });
    // The same variant again adds to its line.
    body = await addToCart(cart, tote.variants[0]?.id as string, 1);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].quantity).toBe(3);

    body = await cart.trpc.cart.addItem.mutate({
      cartId: cart.id,
      variantId: mug.variants[0]?.id as string,
      quantity: 2,
    });
    expect(body.itemCount).toBe(5);
    expect(body.totals).toMatchObject({ subtotal: 3 * 1250 + 2 * 899, discountTotal: 0, total: 3 * 1250 + 2 * 899 });

    const toteLine = body.items[0]?.id as string;
    const changed = await cart.rest.patch(cart.path(`/items/${toteLine}`), { quantity: 1 });
    expect(changed.status).toBe(200);
    expect(changed.body.totals.subtotal).toBe(1250 + 2 * 899);

    const removed = await cart.rest.delete(cart.path(`/items/${toteLine}`));
    expect(removed.status).toBe(200);
    expect(removed.body.items.map((i: { sku: string }) => i.sku)).toEqual([mug.variants[0]?.sku]);

    const cleared = await cart.trpc.cart.clear.mutate({ cartId: cart.id });
    expect(cleared.items).toEqual([]);
    expect(cleared.totals.total).toBe(0);
    const [{ lines }] = (await t.sql`select count(*)::int as lines from cart_lines where cart_id = ${cart.id}`) as [
      { lines: number },
    ];
    expect(lines).toBe(0);
  });

  test("more than is available is 409 OUT_OF_STOCK with what is available, on add and on change", async () => {
    const cart = await guestCart(t);
    const scarce = await product(500, 3);
    const variantId = scarce.variants[0]?.id as string;
    const res = await cart.rest.post(cart.path("/items"), { variantId, quantity: 4 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "OUT_OF_STOCK", available: 3 });

    const body = await addToCart(cart, variantId, 2);
    // 2 in the line + 2 more is past the 3 there are.
    const more = await cart.rest.post(cart.path("/items"), { variantId, quantity: 2 });
    expect(more.body).toMatchObject({ code: "OUT_OF_STOCK", available: 3 });
    const err = await trpcError(
      cart.trpc.cart.updateItem.mutate({ cartId: cart.id, itemId: body.items[0].id, quantity: 4 }),
    );
    expect(err.data).toMatchObject({ code: "OUT_OF_STOCK", httpStatus: 409 });
    const [line] = await t.sql`select quantity from cart_lines where cart_id = ${cart.id}`;
    expect(line?.quantity).toBe(2);
  });

  test("a variant whose product is not for sale is 404 naming variantId", async () => {
    const cart = await guestCart(t);
    const draft = await makeProduct(t, { title: "Unreleased", status: "draft" });
    const res = await cart.rest.post(cart.path("/items"), { variantId: draft.variants[0]?.id, quantity: 1 });
    expect(res.status).toBe(404);
    expect(res.body.errors).toEqual([{ path: "variantId", message: expect.any(String) }]);
  });

  test("a line holds at most 99 units, counting what it has", async () => {
    const cart = await guestCart(t);
    const plenty = await product(100, 500);
    const variantId = plenty.variants[0]?.id as string;
    await addToCart(cart, variantId, 90);
    const res = await cart.rest.post(cart.path("/items"), { variantId, quantity: 10 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["quantity"]);
  });
});

describe("bad input", () => {
  const bodies: [string, Record<string, unknown>, string][] = [
    ["a negative quantity", { quantity: -1 }, "quantity"],
    ["a zero quantity", { quantity: 0 }, "quantity"],
    ["a fractional quantity", { quantity: 1.5 }, "quantity"],
    ["more than 99", { quantity: 100 }, "quantity"],
    ["a quantity as text", { quantity: "2" }, "quantity"],
    ["a price", { quantity: 1, price: 1 }, "price"],
    ["an unknown field", { quantity: 1, role: "admin" }, "role"],
  ];
  for (const [what, extra, field] of bodies) {
    test(`${what} is 400 naming ${field}, on both transports, and writes nothing`, async () => {
      const cart = await guestCart(t);
      const p = await product();
      const body = { variantId: p.variants[0]?.id, ...extra };
      const res = await cart.rest.post(cart.path("/items"), body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      const err = await trpcError(cart.trpc.cart.addItem.mutate({ cartId: cart.id, ...body } as never));
      expect(err.data.httpStatus).toBe(400);
      expect(err.data.errors.map((e: { path: string }) => e.path)).toContain(field);
      const [row] = await t.sql`select count(*)::int as n from cart_lines where cart_id = ${cart.id}`;
      expect(row?.n).toBe(0);
    });
  }

  test("a change of quantity is checked the same way", async () => {
    const cart = await guestCart(t);
    const p = await product();
    const body = await addToCart(cart, p.variants[0]?.id as string, 1);
    for (const quantity of [0, -3, 2.5, 100]) {
      const res = await cart.rest.patch(cart.path(`/items/${body.items[0].id}`), { quantity });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["quantity"]);
    }
  });
});
