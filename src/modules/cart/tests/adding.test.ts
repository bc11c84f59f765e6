import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type postgres from "postgres";
import { addToCart, type CartHandle, guestCart, withWriteInBetween } from "../../../../tests/factories/carts";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { MAX_LINES, MAX_QUANTITY } from "../schemas";

// Adding an item is one statement without a transaction (add-line.ts): these pin down what
// the cart's lock used to guarantee, under concurrent adds and writes in between.

const t = await useTestApp();

const stocked = async (onHand: number, variants = 1) => {
  const product = await makeProduct(t, {
    title: "Enamel mug",
    variants: Array.from({ length: variants }, (_, i) => ({ price: 700, onHand, options: { n: String(i) } })),
  });
  return product.variants.map((v) => v.id);
};

const post = (cart: CartHandle, variantId: string, quantity: number) =>
  cart.rest.post(cart.path("/items"), { variantId, quantity });

async function lineQuantity(cartId: string, variantId: string): Promise<number> {
  const [row] = await t.sql`select quantity from cart_lines where cart_id = ${cartId} and variant_id = ${variantId}`;
  return row?.quantity ?? 0;
}

async function lineCount(cartId: string): Promise<number> {
  const [row] = await t.sql`select count(*)::int as n from cart_lines where cart_id = ${cartId}`;
  return row?.n;
}

/** Lines of `variantIds` written straight into the cart, one unit each, as a cart write does (the cart marked too). */
async function putLines(sql: postgres.Sql, cartId: string, variantIds: string[]) {
  await sql`update carts set updated_at = now() where id = ${cartId}`;
  await sql`
    insert into cart_lines (id, cart_id, variant_id, product_id, quantity, added_unit_price, title, variant_title, sku)
    select gen_random_uuid(), ${cartId}, v.id, v.product_id, 1, v.price, 'Enamel mug', v.title, v.sku
    from variants v where v.id = any(${variantIds}::uuid[])`;
}

describe("concurrent adds to one cart", () => {
  test("20 adds of one variant land every unit, each answering the cart with its own write", async () => {
    const [variantId] = (await stocked(100)) as [string];
    const cart = await guestCart(t);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(cart, variantId, 1)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const seen = answers.map((a) => a.body.items[0].quantity).sort((a: number, b: number) => a - b);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await lineQuantity(cart.id, variantId)).toBe(20);
  });

  test("adds of different variants all land, none lost from the answers or the cart", async () => {
    const variantIds = await stocked(10, 8);
    const cart = await guestCart(t);
    const answers = await Promise.all(variantIds.map((id) => post(cart, id, 2)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    // Each answer holds the lines written before it and its own: 1 to 8 of them, each count once.
    expect(answers.map((a) => a.body.items.length).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const last = answers.find((a) => a.body.items.length === 8);
    expect(last?.body.itemCount).toBe(16);
    expect(await lineCount(cart.id)).toBe(8);
  });

  test("never past what is available or 99, and never refused when it would have fit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 95 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 }),
        async (onHand, had, quantities) => {
          const [variantId] = (await stocked(Math.max(onHand, had))) as [string];
          const cart = await guestCart(t);
          if (had > 0) await addToCart(cart, variantId, had);
          await t.sql`update inventory_levels set on_hand = ${onHand} where variant_id = ${variantId}`;
          const answers = await Promise.all(quantities.map((q) => post(cart, variantId, q)));
          const final = await lineQuantity(cart.id, variantId);
          const cap = Math.min(MAX_QUANTITY, onHand);
          const added = quantities.filter((_, i) => answers[i]?.status === 200).reduce((a, b) => a + b, 0);
          expect(final).toBe(had + added);
          expect(final).toBeLessThanOrEqual(Math.max(cap, had));
          quantities.forEach((q, i) => {
            const answer = answers[i];
            if (answer?.status === 200) return;
            // The line only grew, so what did not fit then does not fit now.
            expect(final + q).toBeGreaterThan(cap);
            if (answer?.status === 409) expect(answer.body).toMatchObject({ code: "OUT_OF_STOCK", available: onHand });
            else expect(answer?.body.errors.map((e: { path: string }) => e.path)).toEqual(["quantity"]);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  test("concurrent new lines stop at 100 lines", async () => {
    const variantIds = await stocked(10, MAX_LINES + 3);
    const cart = await guestCart(t);
    await putLines(t.sql, cart.id, variantIds.slice(0, MAX_LINES - 3));
    const answers = await Promise.all(variantIds.slice(MAX_LINES - 3).map((id) => post(cart, id, 1)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.code).toBe("CONFLICT");
    expect(await lineCount(cart.id)).toBe(MAX_LINES);
  });
});

describe("a write to the cart between the add's snapshot and its lock", () => {
  test("the answer holds the line written in between", async () => {
    const [mine, theirs] = (await stocked(10, 2)) as [string, string];
    const cart = await guestCart(t);
    const answer = await withWriteInBetween(
      t,
      cart.id,
      (sql) => putLines(sql, cart.id, [theirs]),
      () => post(cart, mine, 3),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((i: { variantId: string; quantity: number }) => [i.variantId, i.quantity])).toEqual([
      [theirs, 1],
      [mine, 3],
    ]);
  });

  test("units added to the line in between are not lost", async () => {
    const [variantId] = (await stocked(10)) as [string];
    const cart = await guestCart(t);
    await addToCart(cart, variantId, 2);
    const answer = await withWriteInBetween(
      t,
      cart.id,
      (sql) => sql`update cart_lines set quantity = quantity + 1 where cart_id = ${cart.id}`,
      () => post(cart, variantId, 3),
    );
    expect(answer.body.items[0].quantity).toBe(6);
    expect(await lineQuantity(cart.id, variantId)).toBe(6);
  });

  test("the 100th line written in between leaves no room for another", async () => {
    const variantIds = await stocked(10, MAX_LINES + 1);
    const cart = await guestCart(t);
    await putLines(t.sql, cart.id, variantIds.slice(0, MAX_LINES - 1));
    const last = variantIds[MAX_LINES] as string;
    const answer = await withWriteInBetween(
      t,
      cart.id,
      (sql) => putLines(sql, cart.id, [variantIds[MAX_LINES - 1] as string]),
      () => post(cart, last, 1),
    );
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe("CONFLICT");
    expect(await lineCount(cart.id)).toBe(MAX_LINES);
  });
});

describe("what an add leaves behind", () => {
  const updatedAt = async (cartId: string) =>
    (await t.sql`select updated_at from carts where id = ${cartId}`)[0]?.updated_at;

  test("a refused add changes nothing, not even the cart's last change", async () => {
    const [variantId] = (await stocked(2)) as [string];
    const cart = await guestCart(t);
    const before = await updatedAt(cart.id);
    expect((await post(cart, variantId, 3)).status).toBe(409);
    expect(await updatedAt(cart.id)).toEqual(before);
    expect(await lineCount(cart.id)).toBe(0);
  });

  test("a lapsed guest cart is 404 to an add, and stays lapsed", async () => {
    const [variantId] = (await stocked(5)) as [string];
    const cart = await guestCart(t);
    await t.sql`update carts set updated_at = now() - interval '30 days 1 second' where id = ${cart.id}`;
    const before = await updatedAt(cart.id);
    expect((await post(cart, variantId, 1)).status).toBe(404);
    expect(await updatedAt(cart.id)).toEqual(before);
    expect(await lineCount(cart.id)).toBe(0);
  });

  test("the cached cart read just made shows the add", async () => {
    const [variantId] = (await stocked(5)) as [string];
    const cart = await guestCart(t);
    await addToCart(cart, variantId, 1);
    expect((await cart.rest.get(cart.path())).body.items[0].quantity).toBe(1);
    await addToCart(cart, variantId, 2);
    expect((await cart.rest.get(cart.path())).body.items[0].quantity).toBe(3);
  });
});
