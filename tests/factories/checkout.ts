import * as shipping from "../../src/modules/shipping/service";
import type { TestApp, TestUser } from "../harness";
import { addToCart, type CartHandle, customerCart, guestCart } from "./carts";

/** A flat-rate shipping method for `country` (a country of the test's own keeps other methods out). */
export async function flatShipping(t: TestApp, country = "US", amount = 500): Promise<string> {
  const method = await shipping.createShippingMethod(t.ctx({ kind: "system", name: "test-factory" }), {
    name: `Flat ${country}`,
    countries: [country],
    rate: { kind: "flat", amount },
  });
  return method.id;
}

export const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 Analytical Row",
  city: "Springfield",
  postalCode: "12345",
  country: "US",
};

/** A cart (a guest's, or `user`'s) holding these lines. */
export async function cartWith(
  t: TestApp,
  lines: { variantId: string; quantity: number }[],
  user?: TestUser,
): Promise<CartHandle> {
  const cart = user ? await customerCart(t, user) : await guestCart(t);
  for (const line of lines) await addToCart(cart, line.variantId, line.quantity);
  return cart;
}

/** The checkout body for a cart: the test address, this method, a guest's email. */
export const checkoutBody = (cart: CartHandle, shippingMethodId: string, extra: Record<string, unknown> = {}) => ({
  cartId: cart.id,
  ...(cart.token ? { email: "guest@example.test" } : {}),
  shippingAddress: { ...ADDRESS, country: (extra.country as string | undefined) ?? ADDRESS.country },
  shippingMethodId,
  ...extra,
});

/** Checks a cart out over REST with an Idempotency-Key; answers the response. */
export const checkoutRest = (cart: CartHandle, body: Record<string, unknown>, key: string = crypto.randomUUID()) =>
  cart.rest.post("/api/v1/checkout", body, { headers: { "idempotency-key": key } });
