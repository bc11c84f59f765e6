import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { inTransaction } from "../../../lib/transaction";
import * as inventory from "../inventory";
import { commitInTx, releaseInTx, reserveInTx } from "../service";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const customer = t.as(await t.user("customer"));

async function variantWith(onHand: number) {
  const product = await makeProduct(t, { title: "Lamp", variants: [{ price: 1000, onHand }] });
  const [variant] = product.variants;
  if (!variant) throw new Error("no variant");
  return variant.id;
}

async function level(variantId: string) {
  const [row] = await t.sql`select on_hand, reserved from inventory_levels where variant_id = ${variantId}`;
  return { onHand: row?.on_hand as number, reserved: row?.reserved as number };
}

/** What the ledger says the level is. */
async function ledgerSum(variantId: string) {
  const [row] = await t.sql`
    select coalesce(sum(on_hand_delta), 0)::int as on_hand, coalesce(sum(reserved_delta), 0)::int as reserved
    from inventory_ledger where variant_id = ${variantId}`;
  return { onHand: row?.on_hand as number, reserved: row?.reserved as number };
}

/** The error a promise rejects with, or null if it fulfils. */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code?: string },
  );

describe("concurrent adjustments", () => {
  test("two -1 on the last unit leave 0: one 200, one 409 OUT_OF_STOCK (REST and tRPC, repeated)", async () => {
    for (let round = 0; round < 4; round++) {
      const variantId = await variantWith(1);
      const rest = () =>
        staff.rest.post(`/api/v1/admin/inventory/${variantId}/adjustments`, { delta: -1, reason: "Sold" });
      const trpc = () =>
        staff.trpc.admin.inventory.adjust.mutate({ variantId, delta: -1, reason: "Sold" }).then(
          () => ({ status: 200, body: {} }),
          (e: { data?: { httpStatus: number; code: string } }) => ({ status: e.data?.httpStatus, body: e.data }),
        );
      const answers = await Promise.all(round % 2 ? [rest(), rest()] : [rest(), trpc()]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)?.body.code).toBe("OUT_OF_STOCK");
      expect(await level(variantId)).toEqual({ onHand: 0, reserved: 0 });
      expect(await ledgerSum(variantId)).toEqual({ onHand: 0, reserved: 0 });
    }
  });

  test("many concurrent changes of every kind: the level is the ledger's sum and never negative", async () => {
    type Change =
      | { kind: "adjust"; delta: number }
      | { kind: "set"; onHand: number }
      | { kind: "reserve" | "release" | "commit"; quantity: number };
    const change: fc.Arbitrary<Change> = fc.oneof(
      fc.record({
        kind: fc.constant("adjust" as const),
        delta: fc.integer({ min: -6, max: 6 }).filter((d) => d !== 0),
      }),
      fc.record({ kind: fc.constant("set" as const), onHand: fc.integer({ min: 0, max: 8 }) }),
      fc.record({
        kind: fc.constantFrom("reserve" as const, "release" as const, "commit" as const),
        quantity: fc.integer({ min: 1, max: 3 }),
      }),
    );
    const apply = (variantId: string, c: Change) => {
      const reason = "property";
      if (c.kind === "adjust") return inventory.adjustInventory(staff.ctx, { variantId, delta: c.delta, reason });
      if (c.kind === "set") return inventory.setInventory(staff.ctx, { variantId, onHand: c.onHand, reason });
      const move = { reserve: reserveInTx, release: releaseInTx, commit: commitInTx }[c.kind];
      return inTransaction(customer.ctx, (tx) => move(tx, { lines: [{ variantId, quantity: c.quantity }] }));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5 }),
        fc.array(change, { minLength: 2, maxLength: 12 }),
        async (start, changes) => {
          const variantId = await variantWith(start);
          const outcomes = await Promise.all(changes.map((c) => failure(apply(variantId, c))));
          // Refusals are the only failures: nothing is lost to a 500 or a retry gone wrong.
          for (const o of outcomes) if (o) expect(["OUT_OF_STOCK", "CONFLICT"]).toContain(o.code ?? "");
          const now = await level(variantId);
          expect(now).toEqual(await ledgerSum(variantId));
          expect(now.reserved).toBeGreaterThanOrEqual(0);
          expect(now.reserved).toBeLessThanOrEqual(now.onHand);
          const [entries] =
            await t.sql`select count(*)::int as n from inventory_ledger where variant_id = ${variantId}`;
          expect(entries?.n).toBe(1 + outcomes.filter((o) => o === null).length);
          // Each entry's after-values are the running sum of the deltas up to it.
          const rows = await t.sql`
          select on_hand_after, reserved_after,
            sum(on_hand_delta) over w::int as on_hand_sum, sum(reserved_delta) over w::int as reserved_sum
          from inventory_ledger where variant_id = ${variantId}
          window w as (order by created_at, id)`;
          for (const r of rows) expect([r.on_hand_after, r.reserved_after]).toEqual([r.on_hand_sum, r.reserved_sum]);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe("reserveInTx, releaseInTx, commitInTx", () => {
  test("N parallel reserves of 1 on stock k: exactly k succeed, the rest are OUT_OF_STOCK", async () => {
    const k = 3;
    const variantId = await variantWith(k);
    const reserve = () => inTransaction(customer.ctx, (tx) => reserveInTx(tx, { lines: [{ variantId, quantity: 1 }] }));
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => failure(reserve())));
    expect(outcomes.filter((o) => o === null)).toHaveLength(k);
    expect(outcomes.filter((o) => o?.code === "OUT_OF_STOCK")).toHaveLength(8 - k);
    expect(await level(variantId)).toEqual({ onHand: 3, reserved: 3 });
  });

  test("reserve holds, commit takes from on hand, release gives back; each entry names the order", async () => {
    const variantId = await variantWith(5);
    const orderId = "01a20160-0000-7000-8000-0000000000c1";
    const lines = [{ variantId, quantity: 2 }];
    await inTransaction(customer.ctx, (tx) => reserveInTx(tx, { orderId, lines }));
    expect(await level(variantId)).toEqual({ onHand: 5, reserved: 2 });
    await inTransaction(customer.ctx, (tx) => commitInTx(tx, { orderId, lines: [{ variantId, quantity: 1 }] }));
    expect(await level(variantId)).toEqual({ onHand: 4, reserved: 1 });
    await inTransaction(customer.ctx, (tx) => releaseInTx(tx, { orderId, lines: [{ variantId, quantity: 1 }] }));
    expect(await level(variantId)).toEqual({ onHand: 4, reserved: 0 });
    const entries = await t.sql`
      select kind, on_hand_delta, reserved_delta, order_id from inventory_ledger
      where variant_id = ${variantId} and kind <> 'initial' order by created_at, id`;
    expect(entries.map((e) => [e.kind, e.on_hand_delta, e.reserved_delta, e.order_id])).toEqual([
      ["reserve", 0, 2, orderId],
      ["commit", -1, -1, orderId],
      ["release", 0, -1, orderId],
    ]);
  });

  test("all lines or none: a line short of stock undoes the others and is named", async () => {
    const [plenty, scarce] = [await variantWith(10), await variantWith(1)];
    const lines = [
      { variantId: plenty, quantity: 2 },
      { variantId: scarce, quantity: 2 },
    ];
    const err = await failure(inTransaction(customer.ctx, (tx) => reserveInTx(tx, { lines })));
    expect(err).toMatchObject({
      code: "OUT_OF_STOCK",
      details: { available: 1, errors: [{ path: "lines.1.quantity" }] },
    });
    expect(await level(plenty)).toEqual({ onHand: 10, reserved: 0 });
  });

  test("a refused movement leaves nothing behind even when its transaction goes on and commits", async () => {
    const [plenty, scarce] = [await variantWith(10), await variantWith(1)];
    const lines = [
      { variantId: plenty, quantity: 2 },
      { variantId: scarce, quantity: 2 },
    ];
    const caught = await inTransaction(customer.ctx, (tx) => failure(reserveInTx(tx, { lines })));
    expect(caught?.code).toBe("OUT_OF_STOCK");
    expect(await level(plenty)).toEqual({ onHand: 10, reserved: 0 });
    expect(await level(scarce)).toEqual({ onHand: 1, reserved: 0 });
    const [entries] = await t.sql`
      select count(*)::int as n from inventory_ledger where variant_id in (${plenty}, ${scarce}) and kind = 'reserve'`;
    expect(entries?.n).toBe(0);
  });

  test("releasing or committing more than is reserved is a CONFLICT; an unknown variant NOT_FOUND", async () => {
    const variantId = await variantWith(3);
    const lines = [{ variantId, quantity: 1 }];
    expect(await failure(inTransaction(customer.ctx, (tx) => releaseInTx(tx, { lines })))).toMatchObject({
      code: "CONFLICT",
    });
    expect(await failure(inTransaction(customer.ctx, (tx) => commitInTx(tx, { lines })))).toMatchObject({
      code: "CONFLICT",
    });
    const unknown = [{ variantId: "01a20160-0000-7000-8000-0000000000aa", quantity: 1 }];
    expect(await failure(inTransaction(customer.ctx, (tx) => reserveInTx(tx, { lines: unknown })))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  test("checkouts sharing variants in opposite orders never deadlock", async () => {
    const [a, b] = [await variantWith(100), await variantWith(100)];
    const forward = [
      { variantId: a, quantity: 1 },
      { variantId: b, quantity: 1 },
    ];
    const backward = [...forward].reverse();
    const deadlocks: unknown[] = [];
    // Without the fixed order these would deadlock; inTransaction would hide it by retrying, so count its retries.
    const log = Object.assign(Object.create(customer.ctx.log), { info: (o: unknown) => deadlocks.push(o) });
    const ctx = { ...customer.ctx, log };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        inTransaction(ctx, (tx) => reserveInTx(tx, { lines: i % 2 ? forward : backward })),
      ),
    );
    expect(deadlocks).toEqual([]);
    expect(await level(a)).toEqual({ onHand: 100, reserved: 10 });
    expect(await level(b)).toEqual({ onHand: 100, reserved: 10 });
  });
});
