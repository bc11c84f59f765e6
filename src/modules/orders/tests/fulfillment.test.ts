import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { serviceError, trpcError } from "../../../../tests/errors";
import { insertOrder, type PlacedLineFixture, type PlacedOrder } from "../../../../tests/factories/placed-orders";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import type { OrderStatus } from "../../../db/schema";
import { newId } from "../../../lib/ids";
import * as orders from "../service";

const t = await useTestApp();
const staffUser = await t.user("staff");
const staff = t.as(staffUser);
const product = await makeProduct(t, {
  title: "Desk lamp",
  options: [{ name: "Colour", values: ["Black", "Brass", "White"] }],
  variants: [
    { price: 4000, options: { Colour: "Black" } },
    { price: 5500, options: { Colour: "Brass" } },
    { price: 4200, options: { Colour: "White" } },
  ],
});
const [black, brass, white] = product.variants.map((v) => v.id) as [string, string, string];
const path = (id: string, what: "fulfillments" | "deliveries") => `/api/v1/admin/orders/${id}/${what}`;
const parcel = { carrier: "UPS", trackingNumber: "1Z999AA10123456784" };

/** A paid order of two black lamps and one brass one, unless told otherwise. */
const paidOrder = (lines?: PlacedLineFixture[], status: OrderStatus = "paid") =>
  insertOrder(t, {
    lines: lines ?? [
      { variantId: black, quantity: 2 },
      { variantId: brass, quantity: 1 },
    ],
    status,
  });

/** The id of the order's item (line) at `position`. */
function itemId(order: PlacedOrder, position: number): string {
  const line = order.lines[position];
  if (!line) throw new Error(`no item at ${position}`);
  return line.id;
}

const fulfillmentRows = async (orderId: string) =>
  Number((await t.sql`select count(*)::int as n from fulfillments where order_id = ${orderId}`)[0]?.n);

describe("fulfillOrder", () => {
  test("units a refund still under way gives back are not sent (it may put them back on the shelf)", async () => {
    const order = await paidOrder();
    const lamps = itemId(order, 0);
    const lines = JSON.stringify([{ orderLineId: lamps, quantity: 1 }]);
    await t.sql`insert into refunds (id, order_id, amount, status, lines, restock, actor)
      values (${newId()}, ${order.id}, 4000, 'pending', ${lines}::jsonb, true, 'test')`;
    const tooMany = await staff.rest.post(path(order.id, "fulfillments"), {
      ...parcel,
      items: [{ orderItemId: lamps, quantity: 2 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: "items.0.quantity", message: "At most 1 left to send" }]);
    const rest = await staff.rest.post(path(order.id, "fulfillments"), parcel);
    expect(rest.status).toBe(201);
    expect(rest.body.items.map((i: { fulfilledQuantity: number }) => i.fulfilledQuantity)).toEqual([1, 1]);
    // The refunded-to-be lamp is still unsent: the order waits for the refund to settle.
    expect(rest.body.status).toBe("paid");
  });

  test("a partial parcel keeps the order paid; the last units make it fulfilled (REST)", async () => {
    const order = await paidOrder();
    const [lamps, brassLamp] = [itemId(order, 0), itemId(order, 1)];
    const first = await staff.rest.post(path(order.id, "fulfillments"), {
      ...parcel,
      trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
      items: [{ orderItemId: lamps, quantity: 1 }],
    });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe("paid");
    expect(first.body.items.map((i: { fulfilledQuantity: number }) => i.fulfilledQuantity)).toEqual([1, 0]);
    expect(first.body.fulfillments).toEqual([
      {
        id: expect.any(String),
        carrier: "UPS",
        trackingNumber: "1Z999AA10123456784",
        trackingUrl: "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        items: [{ orderItemId: lamps, quantity: 1 }],
        createdAt: expect.any(String),
      },
    ]);
    expect(first.body.events).toEqual([
      expect.objectContaining({
        kind: "fulfillment_added",
        actor: `user:${staffUser.id}`,
        data: expect.objectContaining({ carrier: "UPS", items: [{ orderItemId: lamps, quantity: 1 }] }),
      }),
    ]);

    // No items: every unit not yet sent.
    const rest = await staff.rest.post(path(order.id, "fulfillments"), { carrier: "DHL", trackingNumber: "JD0002" });
    expect(rest.status).toBe(201);
    expect(rest.body.status).toBe("fulfilled");
    expect(rest.body.items.map((i: { fulfilledQuantity: number }) => i.fulfilledQuantity)).toEqual([2, 1]);
    expect(rest.body.fulfillments[1]).toMatchObject({
      carrier: "DHL",
      trackingUrl: null,
      items: expect.arrayContaining([
        { orderItemId: lamps, quantity: 1 },
        { orderItemId: brassLamp, quantity: 1 },
      ]),
    });
    expect(rest.body.events).toContainEqual(
      expect.objectContaining({ kind: "status_changed", fromStatus: "paid", toStatus: "fulfilled" }),
    );
    expect(rest.body.events.filter((e: { kind: string }) => e.kind === "fulfillment_added")).toHaveLength(2);

    const again = await staff.rest.post(path(order.id, "fulfillments"), parcel);
    expect(again.status).toBe(409);
    expect(await fulfillmentRows(order.id)).toBe(2);
  });

  test("the same over tRPC, naming every item", async () => {
    const order = await paidOrder();
    const [lamps, brassLamp] = [itemId(order, 0), itemId(order, 1)];
    const fulfill = staff.trpc.admin.orders.fulfill;
    const partial = await fulfill.mutate({
      id: order.id,
      ...parcel,
      items: [{ orderItemId: brassLamp, quantity: 1 }],
    });
    expect(partial.status).toBe("paid");
    const done = await fulfill.mutate({ id: order.id, ...parcel, items: [{ orderItemId: lamps, quantity: 2 }] });
    expect(done.status).toBe("fulfilled");
    expect((await trpcError(fulfill.mutate({ id: order.id, ...parcel }))).data).toMatchObject({ code: "CONFLICT" });
  });

  test("a partly refunded order sends what is neither sent nor refunded, then becomes fulfilled", async () => {
    const order = await paidOrder(
      [
        { variantId: black, quantity: 3, refunded: 1 },
        { variantId: white, quantity: 1 },
      ],
      "partially_refunded",
    );
    const lamps = itemId(order, 0);
    const tooMany = await staff.rest.post(path(order.id, "fulfillments"), {
      ...parcel,
      items: [{ orderItemId: lamps, quantity: 3 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: "items.0.quantity", message: "At most 2 left to send" }]);
    const all = await staff.rest.post(path(order.id, "fulfillments"), parcel);
    expect(all.status).toBe(201);
    expect(all.body.fulfillments[0].items).toEqual([
      { orderItemId: lamps, quantity: 2 },
      { orderItemId: order.lines[1]?.id, quantity: 1 },
    ]);
    expect(all.body).toMatchObject({ status: "fulfilled" });
  });

  test("an order that is not paid is 409 on both transports, and nothing is written", async () => {
    for (const status of ["cancelled", "pending_payment", "refunded", "fulfilled", "delivered"] as const) {
      const order = await paidOrder(undefined, status);
      const res = await staff.rest.post(path(order.id, "fulfillments"), parcel);
      expect({ status, http: res.status, code: res.body.code }).toEqual({ status, http: 409, code: "CONFLICT" });
      const err = await trpcError(staff.trpc.admin.orders.fulfill.mutate({ id: order.id, ...parcel }));
      expect(err.data).toMatchObject({ code: "CONFLICT", httpStatus: 409 });
      expect(await fulfillmentRows(order.id)).toBe(0);
    }
    const cancelled = await paidOrder(undefined, "cancelled");
    expect((await serviceError(orders.fulfillOrder(staff.ctx, { id: cancelled.id, ...parcel }))).message).toBe(
      "An order that is cancelled cannot be fulfilled",
    );
  });

  test("a bad parcel is a 400 naming the field; an unknown order 404", async () => {
    const order = await paidOrder();
    const other = await paidOrder();
    const lamps = itemId(order, 0);
    const cases: [unknown, string[]][] = [
      [{ trackingNumber: "X1" }, ["carrier"]],
      [{ ...parcel, carrier: " " }, ["carrier"]],
      [{ ...parcel, trackingNumber: "a\nb" }, ["trackingNumber"]],
      [{ ...parcel, trackingUrl: "javascript:alert(1)" }, ["trackingUrl"]],
      [{ ...parcel, items: [] }, ["items"]],
      [{ ...parcel, items: [{ orderItemId: lamps, quantity: 0 }] }, ["items.0.quantity"]],
      [{ ...parcel, items: [{ orderItemId: other.lines[0]?.id, quantity: 1 }] }, ["items.0.orderItemId"]],
      [{ ...parcel, items: [{ orderItemId: lamps, quantity: 3 }] }, ["items.0.quantity"]],
      [
        {
          ...parcel,
          items: [
            { orderItemId: lamps, quantity: 1 },
            { orderItemId: lamps, quantity: 1 },
          ],
        },
        ["items.1.orderItemId"],
      ],
      [{ ...parcel, status: "fulfilled" }, ["status"]],
    ];
    for (const [body, named] of cases) {
      const res = await staff.rest.post(path(order.id, "fulfillments"), body);
      const paths = res.body.errors?.map((e: { path: string }) => e.path);
      expect({ body, status: res.status, paths }).toEqual({ body, status: 400, paths: named });
    }
    expect(await fulfillmentRows(order.id)).toBe(0);
    expect((await staff.rest.post(path(newId(), "fulfillments"), parcel)).status).toBe(404);
  });

  test("the same Idempotency-Key replays the parcel instead of sending another; with another body 422", async () => {
    const order = await paidOrder();
    const lamps = itemId(order, 0);
    const body = { ...parcel, items: [{ orderItemId: lamps, quantity: 1 }] };
    const headers = { "idempotency-key": `parcel-${order.id}` };
    const first = await staff.rest.post(path(order.id, "fulfillments"), body, { headers });
    const replay = await staff.rest.post(path(order.id, "fulfillments"), body, { headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await fulfillmentRows(order.id)).toBe(1);
    const reused = await staff.rest.post(path(order.id, "fulfillments"), { ...body, carrier: "FedEx" }, { headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    // tRPC takes the key in its input: the same request again is the same parcel.
    const viaTrpc = () =>
      staff.trpc.admin.orders.fulfill.mutate({ id: order.id, ...parcel, idempotencyKey: `trpc-${order.id}` });
    expect((await viaTrpc()).fulfillments).toHaveLength(2);
    expect((await viaTrpc()).fulfillments).toHaveLength(2);
  });

  test("two staff sending the whole order at once: one parcel, the other 409", async () => {
    const order = await paidOrder();
    const results = await Promise.all([1, 2].map(() => staff.rest.post(path(order.id, "fulfillments"), parcel)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const [line] =
      await t.sql`select sum(fulfilled_quantity)::int as sent from order_lines where order_id = ${order.id}`;
    expect(line?.sent).toBe(3);
    expect(await fulfillmentRows(order.id)).toBe(1);
  });

  test("each parcel queues its shipped email, sent once with carrier and tracking number", async () => {
    const order = await paidOrder();
    const lamps = itemId(order, 0);
    await staff.rest.post(path(order.id, "fulfillments"), {
      ...parcel,
      items: [{ orderItemId: lamps, quantity: 1 }],
    });
    await staff.rest.post(path(order.id, "fulfillments"), { carrier: "DHL", trackingNumber: "JD0002" });
    await t.runJobs();
    const shipped = t.mails().filter((m) => m.subject === `Your order ${order.number} has shipped`);
    expect(shipped).toHaveLength(2);
    expect(shipped.map((m) => m.to)).toEqual([order.email, order.email]);
    expect(shipped.some((m) => m.text.includes("UPS") && m.text.includes("1Z999AA10123456784"))).toBe(true);
    expect(shipped.some((m) => m.text.includes("DHL") && m.text.includes("JD0002"))).toBe(true);
  });

  test("sent units never pass what was bought less refunds; fulfilled exactly when none is left (property)", async () => {
    const line = fc.record({ quantity: fc.integer({ min: 1, max: 4 }), refunded: fc.integer({ min: 0, max: 2 }) });
    const request = fc.option(fc.array(fc.record({ line: fc.nat(2), quantity: fc.integer({ min: 1, max: 4 }) })), {
      nil: undefined,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 3 }),
        fc.array(request, { maxLength: 4 }),
        async (spec, requests) => {
          const lines = spec.map((l, i) => ({
            variantId: [black, brass, white][i] as string,
            quantity: l.quantity,
            refunded: Math.min(l.refunded, l.quantity - 1),
          }));
          const anyRefund = lines.some((l) => l.refunded > 0);
          const order = await paidOrder(lines, anyRefund ? "partially_refunded" : "paid");
          const unsent = lines.map((l) => l.quantity - l.refunded);
          let status: OrderStatus = anyRefund ? "partially_refunded" : "paid";
          for (const asked of requests) {
            const items = asked
              ?.filter((a) => a.line < lines.length)
              .filter((a, i, all) => all.findIndex((b) => b.line === a.line) === i)
              .map((a) => ({ orderItemId: order.lines[a.line]?.id as string, quantity: a.quantity }));
            const wanted =
              items === undefined
                ? [...unsent]
                : lines.map((_, i) => items.find((it) => it.orderItemId === order.lines[i]?.id)?.quantity ?? 0);
            const fits = wanted.every((w, i) => w <= (unsent[i] ?? 0)) && wanted.some((w) => w > 0);
            const open = status === "paid" || status === "partially_refunded";
            const call = orders.fulfillOrder(staff.ctx, { id: order.id, ...parcel, ...(items && { items }) });
            if (open && fits && (items === undefined || items.length > 0)) {
              const after = await call;
              wanted.forEach((w, i) => {
                unsent[i] = (unsent[i] ?? 0) - w;
              });
              status = unsent.every((n) => n === 0) ? "fulfilled" : status;
              expect(after.status).toBe(status);
            } else {
              // The body's shape is checked first, then the order's status, then the items against its lines.
              const expected = items?.length === 0 || (open && items) ? "VALIDATION_FAILED" : "CONFLICT";
              expect((await serviceError(call)).code).toBe(expected);
            }
          }
          const rows = await t.sql`select quantity, fulfilled_quantity, refunded_quantity from order_lines
          where order_id = ${order.id} order by position`;
          rows.forEach((r, i) => {
            expect(r.fulfilled_quantity + r.refunded_quantity).toBeLessThanOrEqual(r.quantity);
            expect(r.quantity - r.refunded_quantity - r.fulfilled_quantity).toBe(unsent[i] as number);
          });
          const [sent] = await t.sql`select coalesce(sum(fl.quantity), 0)::int as n from fulfillment_lines fl
          join fulfillments f on f.id = fl.fulfillment_id where f.order_id = ${order.id}`;
          expect(sent?.n).toBe(rows.reduce((s, r) => s + r.fulfilled_quantity, 0));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("markOrderDelivered", () => {
  test("fulfilled becomes delivered with an event; again, or an unsent order, is 409", async () => {
    const order = await paidOrder();
    expect((await staff.rest.post(path(order.id, "deliveries"))).status).toBe(409);
    await staff.rest.post(path(order.id, "fulfillments"), parcel);
    const res = await staff.rest.post(path(order.id, "deliveries"));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("delivered");
    expect(res.body.events).toContainEqual(
      expect.objectContaining({ kind: "status_changed", fromStatus: "fulfilled", toStatus: "delivered" }),
    );
    const again = await staff.rest.post(path(order.id, "deliveries"));
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe("An order that is delivered cannot become delivered");
  });

  test("over tRPC; pending, cancelled and unknown orders are refused", async () => {
    const sent = await paidOrder(undefined, "fulfilled");
    expect((await staff.trpc.admin.orders.markDelivered.mutate({ id: sent.id })).status).toBe("delivered");
    for (const status of ["pending_payment", "paid", "cancelled", "refunded"] as const) {
      const order = await paidOrder(undefined, status);
      const err = await trpcError(staff.trpc.admin.orders.markDelivered.mutate({ id: order.id }));
      expect({ status, code: err.data.code }).toEqual({ status, code: "CONFLICT" });
    }
    expect((await staff.rest.post(path(newId(), "deliveries"))).status).toBe(404);
  });

  test("a partly refunded order is delivered once every unit not refunded is sent, and only once", async () => {
    const unsent = await paidOrder([{ variantId: black, quantity: 2, refunded: 1 }], "partially_refunded");
    expect((await staff.rest.post(path(unsent.id, "deliveries"))).status).toBe(409);
    const sent = await paidOrder([{ variantId: black, quantity: 2, refunded: 1, fulfilled: 1 }], "partially_refunded");
    const res = await staff.rest.post(path(sent.id, "deliveries"));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("delivered");
    // Refunded again after delivery, it stays delivered in its events: no second delivery.
    await t.sql`update orders set status = 'partially_refunded' where id = ${sent.id}`;
    expect((await staff.rest.post(path(sent.id, "deliveries"))).status).toBe(409);
  });
});

describe("who may fulfil and deliver", () => {
  test("orders:write keys and staff may; an orders:read key 403 naming orders:write; a customer 403", async () => {
    const order = await paidOrder();
    const reader = await t.asKey(["orders:read"]);
    const refused = await reader.rest.post(path(order.id, "fulfillments"), parcel);
    expect(refused.status).toBe(403);
    expect(refused.body.missingScope).toBe("orders:write");
    expect((await reader.rest.post(path(order.id, "deliveries"))).status).toBe(403);
    const customer = t.as(await t.user("customer"));
    expect((await customer.rest.post(path(order.id, "fulfillments"), parcel)).status).toBe(403);
    expect((await trpcError(customer.trpc.admin.orders.markDelivered.mutate({ id: order.id }))).data).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await t.rest.post(path(order.id, "fulfillments"), parcel)).status).toBe(401);
    expect(await fulfillmentRows(order.id)).toBe(0);

    const writer = await t.asKey(["orders:write"]);
    const made = await writer.rest.post(path(order.id, "fulfillments"), parcel);
    expect(made.status).toBe(201);
    expect(made.body.events[0].actor).toMatch(/^key:/);
    expect((await writer.rest.post(path(order.id, "deliveries"))).status).toBe(200);
  });
});
