import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, customerCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();

/** Every way to touch a cart, over REST, as the caller with `headers`. */
async function restStatuses(cartId: string, itemId: string, headers: Record<string, string>) {
  const rest = t.rest.with(headers);
  const base = `/api/v1/carts/${cartId}`;
  return [
    (await rest.get(base)).status,
    (await rest.patch(base, { country: "US" })).status,
    (await rest.post(`${base}/items`, { variantId: itemId, quantity: 1 })).status,
    (await rest.patch(`${base}/items/${itemId}`, { quantity: 1 })).status,
    (await rest.delete(`${base}/items/${itemId}`)).status,
    (await rest.delete(`${base}/items`)).status,
    (await rest.post(`${base}/coupons`, { code: "SAVE10" })).status,
    (await rest.delete(`${base}/coupons/SAVE10`)).status,
    (await rest.get(`/api/v1/shipping-methods?cartId=${cartId}`)).status,
  ];
}

async function trpcStatuses(cartId: string, itemId: string, headers: Record<string, string>) {
  const { cart } = t.trpcWith(headers);
  // Each call made only when awaited: a rejection nobody awaits yet would fail the test on its own.
  const calls = [
    () => cart.get.query({ cartId }),
    () => cart.update.mutate({ cartId, country: "US" }),
    () => cart.addItem.mutate({ cartId, variantId: itemId, quantity: 1 }),
    () => cart.updateItem.mutate({ cartId, itemId, quantity: 1 }),
    () => cart.removeItem.mutate({ cartId, itemId }),
    () => cart.clear.mutate({ cartId }),
    () => cart.applyCoupon.mutate({ cartId, code: "SAVE10" }),
    () => cart.removeCoupon.mutate({ cartId, code: "SAVE10" }),
    () => cart.shippingMethods.query({ cartId }),
  ];
  const statuses: number[] = [];
  for (const call of calls) statuses.push((await trpcError(call())).data.httpStatus);
  return statuses;
}

const allNotFound = Array(9).fill(404);

describe("another actor's cart", () => {
  test("a guest cart is 404 without its token, with another token, and to a signed-in customer", async () => {
    const owner = await guestCart(t);
    const p = await makeProduct(t, { title: "Lamp" });
    const body = await addToCart(owner, p.variants[0]?.id as string, 1);
    const itemId = body.items[0].id as string;
    const stranger = await guestCart(t);
    const customer = await t.user();
    for (const headers of [{}, { "x-cart-token": stranger.token as string }, customer.headers]) {
      expect(await restStatuses(owner.id, itemId, headers)).toEqual(allNotFound);
      expect(await trpcStatuses(owner.id, itemId, headers)).toEqual(allNotFound);
    }
    // Nothing changed: the line is still there, one unit.
    const [line] = await t.sql`select quantity from cart_lines where id = ${itemId}`;
    expect(line?.quantity).toBe(1);
  });

  test("a customer's cart is 404 to another customer, to a guest and to a guest token", async () => {
    const owner = await t.user();
    const cart = await customerCart(t, owner);
    const p = await makeProduct(t, { title: "Chair" });
    const body = await addToCart(cart, p.variants[0]?.id as string, 1);
    const itemId = body.items[0].id as string;
    const other = await t.user();
    const stranger = await guestCart(t);
    for (const headers of [other.headers, {}, { "x-cart-token": stranger.token as string }]) {
      expect(await restStatuses(cart.id, itemId, headers)).toEqual(allNotFound);
      expect(await trpcStatuses(cart.id, itemId, headers)).toEqual(allNotFound);
    }
    expect((await cart.rest.get(cart.path())).status).toBe(200);
  });

  test("an API key cannot shop: 403 on both transports", async () => {
    const key = await t.asKey(["catalog:read"]);
    const res = await key.rest.post("/api/v1/carts", {});
    expect(res.status).toBe(403);
    const err = await trpcError(key.trpc.cart.create.mutate({}));
    expect(err.data.httpStatus).toBe(403);
  });

  test("a lapsed guest cart is 404 even with its token", async () => {
    const cart = await guestCart(t);
    await t.sql`update carts set updated_at = now() - interval '30 days 1 second' where id = ${cart.id}`;
    expect((await cart.rest.get(cart.path())).status).toBe(404);
  });
});
