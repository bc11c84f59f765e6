import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { makePromotion } from "../../../../tests/factories/promotions";
import { type Caller, useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
let admin: Caller;

const created = async (path: string, body: unknown) => {
  const res = await admin.rest.post(path, body);
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

describe("shipping and tax in the cart", async () => {
  admin = t.as(await t.user("admin"));
  // Countries of their own, so this file's methods and rates are the only ones that apply.
  const standard = await created("/api/v1/admin/shipping-methods", {
    name: "Standard",
    countries: ["NZ"],
    rate: { kind: "free_above", amount: 800, threshold: 10_000 },
    position: 0,
  });
  const heavy = await created("/api/v1/admin/shipping-methods", {
    name: "Freight",
    countries: ["NZ"],
    rate: {
      kind: "weight",
      bands: [
        { maxGrams: 1000, amount: 1200 },
        { maxGrams: 5000, amount: 2500 },
      ],
    },
    position: 1,
  });
  await created("/api/v1/admin/shipping-methods", {
    name: "Elsewhere",
    countries: ["IS"],
    rate: { kind: "flat", amount: 100 },
  });
  await created("/api/v1/admin/tax-rates", {
    country: "NZ",
    name: "GST",
    rateBasisPoints: 1500,
    appliesToShipping: true,
  });

  const product = await makeProduct(t, {
    title: "Wool blanket",
    variants: [{ price: 4000, onHand: 20, weightGrams: 1500 }],
  });
  const variantId = product.variants[0]?.id as string;

  test("the cart's destination lists its methods, priced for the cart", async () => {
    const cart = await guestCart(t);
    await addToCart(cart, variantId, 2);
    const none = await cart.rest.get(`/api/v1/shipping-methods?cartId=${cart.id}`);
    expect(none.status).toBe(409);

    await cart.rest.patch(cart.path(), { country: "nz" });
    const res = await cart.rest.get(`/api/v1/shipping-methods?cartId=${cart.id}`);
    expect(res.status).toBe(200);
    // 3 kg: the 5 kg band; 8000 is under the free threshold.
    expect(res.body.items).toEqual([
      {
        id: standard.id,
        name: "Standard",
        description: null,
        available: true,
        amount: 800,
        discount: 0,
        total: 800,
        currency: "USD",
      },
      {
        id: heavy.id,
        name: "Freight",
        description: null,
        available: true,
        amount: 2500,
        discount: 0,
        total: 2500,
        currency: "USD",
      },
    ]);
    const trpc = await cart.trpc.cart.shippingMethods.query({ cartId: cart.id });
    expect(trpc).toEqual(res.body);
  });

  test("a chosen method and the destination's tax make the total, exclusive by default", async () => {
    const cart = await guestCart(t, { country: "NZ" });
    await addToCart(cart, variantId, 2);
    const res = await cart.rest.patch(cart.path(), { shippingMethodId: standard.id });
    expect(res.status).toBe(200);
    // Lines 8000, tax 15% = 1200; shipping 800 taxed too = 120.
    expect(res.body.shipping).toMatchObject({
      methodId: standard.id,
      name: "Standard",
      amount: 800,
      total: 800,
      tax: 120,
    });
    expect(res.body.totals).toEqual({
      subtotal: 8000,
      discountTotal: 0,
      shippingTotal: 800,
      taxTotal: 1320,
      total: 8000 + 800 + 1320,
      taxInclusive: false,
    });
  });

  test("a method that does not ship to the destination is 400 naming shippingMethodId", async () => {
    const cart = await guestCart(t, { country: "IS" });
    const res = await cart.rest.patch(cart.path(), { shippingMethodId: standard.id });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "shippingMethodId", message: expect.stringContaining("IS") }]);
    const err = await trpcError(cart.trpc.cart.update.mutate({ cartId: cart.id, shippingMethodId: standard.id }));
    expect(err.data.httpStatus).toBe(400);
  });

  test("moving the cart elsewhere drops its method and says so", async () => {
    const cart = await guestCart(t, { country: "NZ" });
    await addToCart(cart, variantId, 1);
    await cart.rest.patch(cart.path(), { shippingMethodId: heavy.id });
    const moved = await cart.rest.patch(cart.path(), { country: "IS" });
    expect(moved.body.shipping).toBeNull();
    expect(moved.body.notices.map((n: { kind: string }) => n.kind)).toEqual(["shipping_method_unavailable"]);
    const [row] = await t.sql`select shipping_method_id from carts where id = ${cart.id}`;
    expect(row?.shipping_method_id).toBeNull();
  });

  test("free shipping and a percentage stack: the shipping is free, the lines discounted", async () => {
    const code = "NZSHIPFREE";
    await makePromotion(t, { code, kind: "free_shipping", stackable: true });
    await makePromotion(t, { code: null, name: "NZ tenth", percent: 10, stackable: true, minSubtotal: 7000 });
    const cart = await guestCart(t, { country: "NZ" });
    await addToCart(cart, variantId, 2);
    await cart.rest.patch(cart.path(), { shippingMethodId: standard.id });
    const res = await cart.rest.post(cart.path("/coupons"), { code });
    expect(res.body.shipping).toMatchObject({ amount: 800, discount: 800, total: 0, tax: 0 });
    // 10% of 8000 = 800 off; tax 15% of 7200 = 1080.
    expect(res.body.totals).toMatchObject({
      subtotal: 8000,
      discountTotal: 800,
      shippingTotal: 0,
      taxTotal: 1080,
      total: 8280,
    });
  });
});
