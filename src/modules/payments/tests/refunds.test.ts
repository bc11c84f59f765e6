import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { trpcError } from "../../../../tests/errors";
import { placedOrder, queuedOrderMails } from "../../../../tests/factories/orders";
import { useTestApp } from "../../../../tests/harness";
import { toAppError } from "../../../lib/errors";
import { unitsShare } from "../refund-rules";
import * as payments from "../service";
import { eventKinds, ledgerKinds, orderRow, stockedVariant, stockOf } from "./fixtures";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));

/** A manual order, paid: two lines (3 x 1000 and 1 x 2500). */
async function paidOrder() {
  const lamp = await stockedVariant(t, 10, 1000);
  const shade = await stockedVariant(t, 10, 2500);
  const order = await placedOrder(t, {
    lines: [
      { variantId: lamp, quantity: 3 },
      { variantId: shade, quantity: 1 },
    ],
  });
  await staff.trpc.admin.orders.markPaid.mutate({ id: order.id });
  const [lampLine, shadeLine] = order.lines;
  if (!lampLine || !shadeLine) throw new Error("no lines");
  return { order, lamp, shade, lampLine, shadeLine };
}

const refundsOf = (orderId: string) =>
  t.sql`select amount, status, restock from refunds where order_id = ${orderId} order by created_at, id`;

describe("POST /admin/orders/{id}/refunds, admin.orders.refund", () => {
  test("with no amount or items, refunds everything that was paid (REST, 201 with the order)", async () => {
    const { order } = await paidOrder();
    const res = await staff.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, { reason: "Changed their mind" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: order.id, status: "refunded", refundedAmount: 5500, paidAmount: 5500 });
    expect(res.body.refunds).toMatchObject([{ amount: 5500, status: "succeeded", reason: "Changed their mind" }]);
    expect(await eventKinds(t, order.id)).toContain("refund_recorded");
    const refundId = res.body.refunds[0].id;
    expect((await queuedOrderMails(t, order.id)).filter((m) => m === `refunded:${refundId}`)).toHaveLength(1);
  });

  test("partial refunds by amount leave it partially refunded until the last cent", async () => {
    const { order } = await paidOrder();
    const first = await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 2000 });
    expect(first).toMatchObject({ status: "partially_refunded", refundedAmount: 2000 });
    const last = await staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 3500 });
    expect(last).toMatchObject({ status: "refunded", refundedAmount: 5500 });
    const nothingLeft = await staff.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, { amount: 1 });
    expect(nothingLeft.status).toBe(409);
  });

  test("by items with restock: their share of the lines' totals, the units back on the shelf", async () => {
    const { order, lamp, lampLine } = await paidOrder();
    expect(await stockOf(t, lamp)).toEqual({ onHand: 7, reserved: 0 });
    const refunded = await staff.trpc.admin.orders.refund.mutate({
      id: order.id,
      items: [{ orderItemId: lampLine.id, quantity: 2 }],
      restock: true,
      reason: "Two arrived broken",
    });
    expect(refunded).toMatchObject({ status: "partially_refunded", refundedAmount: 2000 });
    expect(refunded.items.find((i) => i.id === lampLine.id)?.refundedQuantity).toBe(2);
    expect(refunded.refunds[0]).toMatchObject({
      amount: 2000,
      restock: true,
      items: [{ orderItemId: lampLine.id, quantity: 2 }],
    });
    expect(await stockOf(t, lamp)).toEqual({ onHand: 9, reserved: 0 });
    expect((await ledgerKinds(t, order.id)).sort()).toEqual(["commit", "commit", "reserve", "reserve", "restock"]);

    const tooMany = await staff.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, {
      items: [{ orderItemId: lampLine.id, quantity: 2 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { path: "items.0.quantity", message: "At most 1 of this item can be refunded" },
    ]);
  });

  test("refusals: more than is refundable, an item of another order, restock without items, an unpaid order", async () => {
    const { order } = await paidOrder();
    const other = await paidOrder();
    const post = (body: object, id = order.id) => staff.rest.post(`/api/v1/admin/orders/${id}/refunds`, body);
    const tooMuch = await post({ amount: 5501 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([{ path: "amount", message: "At most 5500 can be refunded" }]);
    const foreign = await post({ items: [{ orderItemId: other.lampLine.id, quantity: 1 }] });
    expect(foreign.body.errors?.[0]?.path).toBe("items.0.orderItemId");
    expect((await post({ restock: true })).body.errors?.[0]?.path).toBe("restock");
    const unpaid = await placedOrder(t, { lines: [{ variantId: await stockedVariant(t), quantity: 1 }] });
    const refused = await post({}, unpaid.id);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("CONFLICT");
    const zero = await trpcError(staff.trpc.admin.orders.refund.mutate({ id: order.id, amount: 0 }));
    expect(zero.data.code).toBe("VALIDATION_FAILED");
    expect(await refundsOf(order.id)).toHaveLength(0);
    expect((await orderRow(t, order.id)).refundedAmount).toBe(0);
  });

  test("the same Idempotency-Key refunds once, on either transport; another body with it is 422", async () => {
    const { order } = await paidOrder();
    const headers = { "idempotency-key": `refund-${order.id}` };
    const post = () =>
      t.rest.post(
        `/api/v1/admin/orders/${order.id}/refunds`,
        { amount: 1000 },
        { headers: { ...staff.headers, ...headers } },
      );
    const first = await post();
    const again = await post();
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const viaTrpc = await staff.trpc.admin.orders.refund.mutate({
      id: order.id,
      amount: 1000,
      idempotencyKey: `refund-${order.id}`,
    });
    expect(viaTrpc.refunds).toHaveLength(1);
    const reused = await staff.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, { amount: 900 }, { headers });
    expect(reused.status).toBe(422);
    expect(await refundsOf(order.id)).toHaveLength(1);
    expect((await orderRow(t, order.id)).refundedAmount).toBe(1000);
  });

  test("customers, guests and keys without orders:write may not", async () => {
    const { order } = await paidOrder();
    expect(
      (await t.as(await t.user("customer")).rest.post(`/api/v1/admin/orders/${order.id}/refunds`, {})).status,
    ).toBe(403);
    expect((await t.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, {})).status).toBe(401);
    const reader = await t.asKey(["orders:read"]);
    expect((await trpcError(reader.trpc.admin.orders.refund.mutate({ id: order.id }))).data.code).toBe("FORBIDDEN");
    const writer = await t.asKey(["orders:write"]);
    expect((await writer.rest.post(`/api/v1/admin/orders/${order.id}/refunds`, { amount: 100 })).status).toBe(201);
  });
});

describe("refund invariants", () => {
  test("a line refunded unit by unit, in any chunks, gives back exactly its total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc
          .integer({ min: 1, max: 50 })
          .chain((quantity) =>
            fc.tuple(fc.constant(quantity), fc.array(fc.integer({ min: 1, max: quantity }), { maxLength: 60 })),
          ),
        (total, [quantity, chunks]) => {
          let taken = 0;
          let given = 0;
          for (const chunk of chunks) {
            const q = Math.min(chunk, quantity - taken);
            if (q === 0) break;
            given += unitsShare({ total, quantity }, taken, q);
            taken += q;
          }
          given += unitsShare({ total, quantity }, taken, quantity - taken);
          return given === total;
        },
      ),
    );
  });

  test("any sequence of refunds by amount and by items never gives back more than was paid", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ amount: fc.integer({ min: 1, max: 3000 }) }),
            fc.record({ line: fc.constantFrom(0, 1), quantity: fc.integer({ min: 1, max: 3 }), restock: fc.boolean() }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        async (steps) => {
          const { order, lampLine, shadeLine } = await paidOrder();
          for (const step of steps) {
            const items =
              "line" in step
                ? [{ orderItemId: (step.line === 0 ? lampLine : shadeLine).id, quantity: step.quantity }]
                : undefined;
            const restock = "restock" in step ? step.restock : false;
            const amount = "amount" in step ? step.amount : undefined;
            // A refusal (more than is left, an item refunded already) is a 400 or 409 and changes nothing.
            await payments.refundOrder(staff.ctx, { id: order.id, amount, items, restock }).catch((err: unknown) => {
              expect(toAppError(err).error.status).toBeOneOf([400, 409]);
            });
          }
          const row = await orderRow(t, order.id);
          const [sum] =
            await t.sql`select coalesce(sum(amount), 0)::int as n from refunds where order_id = ${order.id} and status = 'succeeded'`;
          const [lines] =
            await t.sql`select bool_and(refunded_quantity <= quantity) as ok from order_lines where order_id = ${order.id}`;
          expect(row.refundedAmount).toBe(Number(sum?.n));
          expect(row.refundedAmount).toBeLessThanOrEqual(row.paidAmount);
          expect(row.status).toBe(
            row.refundedAmount === 0
              ? "paid"
              : row.refundedAmount === row.paidAmount
                ? "refunded"
                : "partially_refunded",
          );
          expect(lines?.ok).toBe(true);
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);
});
