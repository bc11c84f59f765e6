import { beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { withWriteInBetween } from "../../../../tests/factories/carts";
import { cartWith, checkoutBody, checkoutRest, flatShipping } from "../../../../tests/factories/checkout";
import { makeProduct } from "../../../../tests/factories/products";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";

const t = await useTestApp();
let methodId: string;

beforeAll(async () => {
  methodId = await flatShipping(t, "US", 0);
});

/** Each level equals the sum of its ledger, and reserved equals what open orders hold. */
async function ledgerBalanced(variantId: string) {
  const [row] = await t.sql`
    select l.on_hand, l.reserved,
      (select coalesce(sum(on_hand_delta), 0)::int from inventory_ledger where variant_id = l.variant_id) as on_hand_sum,
      (select coalesce(sum(reserved_delta), 0)::int from inventory_ledger where variant_id = l.variant_id) as reserved_sum,
      (select coalesce(sum(ol.quantity), 0)::int from order_lines ol join orders o on o.id = ol.order_id
        where ol.variant_id = l.variant_id and o.status = 'pending_payment') as held
    from inventory_levels l where l.variant_id = ${variantId}`;
  return row as { on_hand: number; reserved: number; on_hand_sum: number; reserved_sum: number; held: number };
}

/** Deadlocks Postgres has detected in this file's database. */
async function deadlocks(): Promise<number> {
  const [row] = await t.sql`select deadlocks::int as n from pg_stat_database where datname = current_database()`;
  return row?.n ?? 0;
}

describe("concurrent checkouts", () => {
  test("a cart change committed while the checkout waited for the cart's lock is what the order holds", async () => {
    const product = await makeProduct(t, { title: "Changed meanwhile", variants: [{ price: 1000, onHand: 20 }] });
    const variantId = product.variants[0]?.id as string;
    const cart = await cartWith(t, [{ variantId, quantity: 1 }]);
    // Another cart writer holds the cart's row (as every line write does) and changes its line; it
    // commits only once the checkout waits for that lock, so the checkout's snapshot predates it.
    const placed = await withWriteInBetween(
      t,
      cart.id,
      (tx) => tx`update cart_lines set quantity = 3 where cart_id = ${cart.id}`,
      () => checkoutRest(cart, checkoutBody(cart, methodId)),
    );
    expect(placed.status).toBe(201);
    expect(placed.body.order.items.map((i: { quantity: number }) => i.quantity)).toEqual([3]);
    expect(placed.body.order.subtotal).toBe(3000);
    const [level] = await t.sql`select reserved from inventory_levels where variant_id = ${variantId}`;
    expect(level?.reserved).toBe(3);
  });

  test("50 checkouts for the last 5 units: exactly 5 orders and 45 OUT_OF_STOCK, the ledger balanced", async () => {
    const product = await makeProduct(t, { title: "Last five", variants: [{ price: 1000, onHand: 50 }] });
    const variantId = product.variants[0]?.id as string;
    const carts = [];
    for (let i = 0; i < 50; i++) carts.push(await cartWith(t, [{ variantId, quantity: 1 }]));
    // Every cart was filled while stock was ample; now only 5 units are left for all of them.
    await t.sql`update inventory_levels set on_hand = 5 where variant_id = ${variantId}`;
    await t.sql`insert into inventory_ledger (id, variant_id, kind, on_hand_delta, on_hand_after, reserved_after, actor)
      values (${crypto.randomUUID()}, ${variantId}, 'adjust', -45, 5, 0, 'test')`;
    const results = await Promise.all(carts.map((cart) => checkoutRest(cart, checkoutBody(cart, methodId))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(45);
    for (const r of refused) expect(r.body.code).toBe("OUT_OF_STOCK");
    const balance = await ledgerBalanced(variantId);
    expect(balance).toEqual({ on_hand: 5, reserved: 5, on_hand_sum: 5, reserved_sum: 5, held: 5 });
    const [orders] = await t.sql`select count(*)::int as n from order_lines where variant_id = ${variantId}`;
    expect(orders?.n).toBe(5);
  });

  test("a code with one use left raced by 10 checkouts is redeemed once; the others are COUPON_INVALID", async () => {
    const product = await makeProduct(t, { title: "Coupon race", variants: [{ price: 2000, onHand: 100 }] });
    const variantId = product.variants[0]?.id as string;
    const promo = await makePromotion(t, { code: "LASTUSE", percent: 50, usageLimit: 1 });
    const carts = [];
    for (let i = 0; i < 10; i++) {
      const cart = await cartWith(t, [{ variantId, quantity: 1 }]);
      await cart.rest.post(cart.path("/coupons"), { code: "LASTUSE" });
      carts.push(cart);
    }
    const results = await Promise.all(carts.map((cart) => checkoutRest(cart, checkoutBody(cart, methodId))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.body).toMatchObject({ code: "COUPON_INVALID", reason: "usage_limit_reached" });
    const [row] =
      await t.sql`select usage_count, (select count(*)::int from promotion_redemptions where promotion_id = ${promo.id}) as uses from promotions where id = ${promo.id}`;
    expect(row).toEqual({ usage_count: 1, uses: 1 });
    // The refused checkouts reserved nothing: their transactions rolled back whole.
    expect((await ledgerBalanced(variantId)).reserved).toBe(1);
  });

  test("property: any mix of concurrent checkouts over shared variants never oversells and never deadlocks", async () => {
    const products = await Promise.all(
      [0, 1, 2].map((i) => makeProduct(t, { title: `Shared ${i}`, variants: [{ price: 100 + i, onHand: 1000 }] })),
    );
    const variantIds = products.map((p) => p.variants[0]?.id as string);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.record({ v: fc.integer({ min: 0, max: 2 }), q: fc.integer({ min: 1, max: 3 }) }), {
            minLength: 1,
            maxLength: 3,
          }),
          { minLength: 2, maxLength: 6 },
        ),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 }),
        async (orders, stock) => {
          for (const [i, id] of variantIds.entries()) {
            await t.sql`update inventory_levels set on_hand = reserved + ${stock[i] ?? 0} where variant_id = ${id}`;
          }
          const before = await Promise.all(variantIds.map(ledgerBalanced));
          const carts = [];
          for (const lines of orders) {
            const merged = new Map<string, number>();
            for (const { v, q } of lines) {
              const id = variantIds[v] as string;
              merged.set(id, (merged.get(id) ?? 0) + q);
            }
            // Filled with ample stock, as shoppers do before the last units go.
            await t.sql`update inventory_levels set on_hand = on_hand + 1000 where variant_id in ${t.sql(variantIds)}`;
            carts.push(
              await cartWith(
                t,
                [...merged].map(([variantId, quantity]) => ({ variantId, quantity })),
              ),
            );
            await t.sql`update inventory_levels set on_hand = on_hand - 1000 where variant_id in ${t.sql(variantIds)}`;
          }
          const deadlocksBefore = await deadlocks();
          const results = await Promise.all(carts.map((cart) => checkoutRest(cart, checkoutBody(cart, methodId))));
          // Placed or short of stock, nothing else: a deadlock, even one a retry absorbed, would show.
          for (const r of results) expect(r.status === 201 || r.body.code === "OUT_OF_STOCK").toBe(true);
          expect(await deadlocks()).toBe(deadlocksBefore);
          const after = await Promise.all(variantIds.map(ledgerBalanced));
          for (const [i, level] of after.entries()) {
            const was = before[i] as (typeof after)[number];
            // Never more reserved than the units there were, and only for the orders that were placed.
            expect(level.reserved - was.reserved).toBeLessThanOrEqual(stock[i] ?? 0);
            expect(level.reserved).toBe(level.held);
            expect(level.on_hand).toBeGreaterThanOrEqual(level.reserved);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
