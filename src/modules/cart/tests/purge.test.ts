import { describe, expect, test } from "bun:test";
import { addToCart, customerCart, guestCart } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { crontab } from "../../../jobs/tasks";
import * as cart from "../service";

const t = await useTestApp();
const system = t.ctx({ kind: "system", name: "purge-lapsed-carts" });

const age = (id: string, days: number) =>
  t.sql`update carts set updated_at = now() - make_interval(days => ${days}) where id = ${id}`;
const exists = async (id: string) => (await t.sql`select 1 from carts where id = ${id}`).length > 0;

describe("purgeLapsedCarts", () => {
  test("deletes guest carts past their 30 days with their lines; keeps fresh, customers' and converted ones", async () => {
    const product = await makeProduct(t, { title: "Purgeable", variants: [{ price: 500, onHand: 50 }] });
    const variantId = product.variants[0]?.id as string;
    const lapsed = await guestCart(t);
    await addToCart(lapsed, variantId, 2);
    const fresh = await guestCart(t);
    const merged = await guestCart(t);
    const converted = await guestCart(t);
    const customers = await customerCart(t, await t.user());
    await age(lapsed.id, 31);
    await age(fresh.id, 29);
    await age(customers.id, 400);
    await t.sql`update carts set status = 'merged', token_hash = null, updated_at = now() - interval '31 days' where id = ${merged.id}`;
    await t.sql`update carts set status = 'converted', updated_at = now() - interval '90 days' where id = ${converted.id}`;

    expect(await cart.purgeLapsedCarts(system)).toBe(2);
    expect(await exists(lapsed.id)).toBe(false);
    expect(await exists(merged.id)).toBe(false);
    expect((await t.sql`select 1 from cart_lines where cart_id = ${lapsed.id}`).length).toBe(0);
    for (const kept of [fresh, converted, customers]) expect(await exists(kept.id)).toBe(true);
    // A lapsed cart answered 404 already; the fresh one still answers its holder.
    expect((await fresh.rest.get(fresh.path())).status).toBe(200);
    expect(await cart.purgeLapsedCarts(system)).toBe(0);
  });

  test("runs hourly from the crontab", () => {
    expect(crontab).toMatch(/^20 \* \* \* \* purge-lapsed-carts/m);
  });
});
