import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, customerCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();

describe("mergeCart", () => {
  test("a guest's cart merges into the customer's: quantities add, capped by stock, the cap reported", async () => {
    const scarce = await makeProduct(t, { title: "Limited print", variants: [{ price: 4000, onHand: 5 }] });
    const plenty = await makeProduct(t, { title: "Postcard", variants: [{ price: 300, onHand: 100 }] });
    const onlyGuest = await makeProduct(t, { title: "Sticker", variants: [{ price: 150, onHand: 100 }] });
    const [print, postcard, sticker] = [scarce, plenty, onlyGuest].map((p) => p.variants[0]?.id as string);

    const user = await t.user();
    const own = await customerCart(t, user);
    await addToCart(own, print as string, 3);
    await addToCart(own, postcard as string, 2);

    const guest = await guestCart(t);
    await addToCart(guest, print as string, 4);
    await addToCart(guest, postcard as string, 5);
    await addToCart(guest, sticker as string, 1);

    // Signed in, the shopper still holds the guest cart's token.
    const res = await t.rest.post(`/api/v1/carts/${guest.id}/merge`, undefined, {
      headers: { ...user.headers, "x-cart-token": guest.token as string },
    });
    expect(res.body).toMatchObject({ id: own.id });
    const quantities = Object.fromEntries(
      res.body.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity]),
    );
    expect(quantities).toEqual({ [print as string]: 5, [postcard as string]: 7, [sticker as string]: 1 });
    expect(res.body.capped).toEqual([
      { variantId: print, sku: scarce.variants[0]?.sku, requested: 7, quantity: 5, available: 5 },
    ]);
    expect(res.body.totals.subtotal).toBe(5 * 4000 + 7 * 300 + 150);

    // The guest cart is gone: its token holds nothing now.
    expect((await guest.rest.get(guest.path())).status).toBe(404);
    const [row] = await t.sql`select status from carts where id = ${guest.id}`;
    expect(row?.status).toBe("merged");
  });

  test("with no cart of their own, the guest cart becomes the customer's (tRPC)", async () => {
    const p = await makeProduct(t, { title: "Notebook" });
    const guest = await guestCart(t);
    await addToCart(guest, p.variants[0]?.id as string, 2);
    const user = await t.user();
    const merged = await t
      .trpcWith({ ...user.headers, "x-cart-token": guest.token as string })
      .cart.merge.mutate({ cartId: guest.id });
    expect(merged).toMatchObject({ id: guest.id, owner: "customer", expiresAt: null, capped: [], itemCount: 2 });
    // Now it is the customer's cart, without any token.
    expect((await t.as(user).trpc.cart.get.query({ cartId: guest.id })).itemCount).toBe(2);
    expect((await guest.rest.get(guest.path())).status).toBe(404);
  });

  test("merging needs the guest cart's token, a session, and a guest cart", async () => {
    const guest = await guestCart(t);
    const user = await t.user();
    const noToken = await t.rest.post(`/api/v1/carts/${guest.id}/merge`, undefined, { headers: user.headers });
    expect(noToken.status).toBe(404);
    const anonymous = await guest.rest.post(guest.path("/merge"));
    expect(anonymous.status).toBe(401);
    const own = await customerCart(t, user);
    const self = await trpcError(t.as(user).trpc.cart.merge.mutate({ cartId: own.id }));
    expect(self.data.httpStatus).toBe(409);
  });
});
