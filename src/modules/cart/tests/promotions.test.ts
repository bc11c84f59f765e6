import { describe, expect, test } from "bun:test";
import { trpcError } from "../../../../tests/errors";
import { addToCart, customerCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();

let codes = 0;
const code = (stem: string) => `${stem}${++codes}`;

const cartWith = async (price: number, quantity: number) => {
  const p = await makeProduct(t, { title: "Scarf", variants: [{ price, onHand: 50 }] });
  const cart = await guestCart(t);
  const body = await addToCart(cart, p.variants[0]?.id as string, quantity);
  return { cart, product: p, itemId: body.items[0].id as string };
};

describe("applyCoupon", () => {
  test("a code in any case applies, and the cart shows what it takes off", async () => {
    const save = code("SAVE");
    const promo = await makePromotion(t, { code: save, percent: 10 });
    const { cart } = await cartWith(999, 3);
    const res = await cart.rest.post(cart.path("/coupons"), { code: save.toLowerCase() });
    expect(res.status).toBe(200);
    // 10% of 2997 = 299.7, half-up once per line: 300.
    expect(res.body).toMatchObject({
      couponCode: save,
      promotions: [{ id: promo.id, code: save, amount: 300 }],
      totals: { subtotal: 2997, discountTotal: 300, total: 2697 },
    });
    expect(res.body.items[0]).toMatchObject({
      discount: 300,
      total: 2697,
      adjustments: [{ promotionId: promo.id, amount: 300 }],
    });
  });

  test("each refusal answers 422 COUPON_INVALID with its reason, on both transports", async () => {
    const hour = 3_600_000;
    const cases: [string, Parameters<typeof makePromotion>[1] | null][] = [
      ["not_found", null],
      [
        "expired",
        { startsAt: new Date(Date.now() - 2 * hour).toISOString(), endsAt: new Date(Date.now() - hour).toISOString() },
      ],
      ["not_started", { startsAt: new Date(Date.now() + hour).toISOString() }],
      ["minimum_not_met", { minSubtotal: 10_000 }],
      ["usage_limit_reached", { usageLimit: 1 }],
      ["not_eligible", { customersOnly: true }],
    ];
    for (const [reason, fields] of cases) {
      const c = code("REFUSE");
      if (fields) {
        const promo = await makePromotion(t, { code: c, ...fields });
        if (reason === "usage_limit_reached") await t.sql`update promotions set usage_count = 1 where id = ${promo.id}`;
      }
      const { cart } = await cartWith(1000, 1);
      const res = await cart.rest.post(cart.path("/coupons"), { code: c });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: "COUPON_INVALID", reason, couponCode: c });
      const err = await trpcError(cart.trpc.cart.applyCoupon.mutate({ cartId: cart.id, code: c }));
      expect(err.data).toMatchObject({ code: "COUPON_INVALID", httpStatus: 422, reason, couponCode: c });
      const [row] = await t.sql`select coupon_code from carts where id = ${cart.id}`;
      expect(row?.coupon_code).toBeNull();
    }
  });

  test("a second code is not_combinable; the first stays until removed", async () => {
    const [first, second] = [code("FIRST"), code("SECOND")];
    await makePromotion(t, { code: first, percent: 5 });
    await makePromotion(t, { code: second, percent: 20 });
    const { cart } = await cartWith(1000, 2);
    expect((await cart.rest.post(cart.path("/coupons"), { code: first })).status).toBe(200);
    const res = await cart.rest.post(cart.path("/coupons"), { code: second });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: "COUPON_INVALID", reason: "not_combinable" });
    expect((await cart.rest.delete(cart.path(`/coupons/${first.toLowerCase()}`))).body.couponCode).toBeNull();
    expect((await cart.rest.post(cart.path("/coupons"), { code: second })).body.couponCode).toBe(second);
    expect((await cart.rest.delete(cart.path(`/coupons/${first}`))).status).toBe(404);
  });
});

describe("a cart read re-checks promotions", () => {
  test("a code that no longer applies is dropped, and the read says why", async () => {
    const c = code("MIN");
    await makePromotion(t, { code: c, percent: 10, minSubtotal: 2000 });
    const { cart, itemId } = await cartWith(1000, 2);
    expect((await cart.rest.post(cart.path("/coupons"), { code: c })).body.totals.discountTotal).toBe(200);
    const res = await cart.rest.patch(cart.path(`/items/${itemId}`), { quantity: 1 });
    expect(res.body.couponCode).toBeNull();
    expect(res.body.totals.discountTotal).toBe(0);
    expect(res.body.notices).toEqual([
      { kind: "promotion_removed", code: c, reason: "minimum_not_met", message: expect.any(String) },
    ]);
    const again = await cart.rest.get(cart.path());
    expect(again.body.notices).toEqual([]);
  });

  test("an automatic promotion applies without a code, and stops when its product leaves the cart", async () => {
    const target = await makeProduct(t, { title: "Featured boots", variants: [{ price: 5000, onHand: 10 }] });
    const promo = await makePromotion(t, {
      name: "Boots week",
      kind: "fixed",
      amount: 700,
      target: "items",
      productIds: [target.id],
      stackable: true,
    });
    const { cart } = await cartWith(1000, 1);
    const body = await addToCart(cart, target.variants[0]?.id as string, 1);
    expect(body.promotions).toEqual([{ id: promo.id, name: "Boots week", code: null, amount: 700 }]);
    const boots = body.items.find((i: { productId: string }) => i.productId === target.id);
    expect(boots).toMatchObject({ discount: 700, total: 4300 });
    const removed = await cart.rest.delete(cart.path(`/items/${boots.id}`));
    expect(removed.body.promotions).toEqual([]);
  });

  test("first-order-only codes are for customers with no order yet", async () => {
    const c = code("WELCOME");
    await makePromotion(t, { code: c, percent: 15, firstOrderOnly: true });
    const p = await makeProduct(t, { title: "Beanie", variants: [{ price: 2000, onHand: 10 }] });
    const newcomer = await t.user();
    const regular = await t.user();
    await t.sql`update users set orders_placed = 3 where id = ${regular.id}`;
    for (const [user, status] of [
      [newcomer, 200],
      [regular, 422],
    ] as const) {
      const cart = await customerCart(t, user);
      await addToCart(cart, p.variants[0]?.id as string, 1);
      const res = await cart.rest.post(cart.path("/coupons"), { code: c });
      expect(res.status).toBe(status);
      if (status === 422) expect(res.body.reason).toBe("not_eligible");
    }
  });
});
