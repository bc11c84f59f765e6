import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { trpcError } from "../../../../tests/errors";
import { insertOrder, type PlacedOrder } from "../../../../tests/factories/placed-orders";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { ORDER_STATUSES, type OrderStatus } from "../../../db/schema";
import { newId } from "../../../lib/ids";
import * as orders from "../service";

const t = await useTestApp();
const staff = t.as(await t.user("staff"));
const [ada, bob] = [await t.user("customer"), await t.user("customer")];
const shirt = await makeProduct(t, {
  title: "Linen shirt",
  options: [{ name: "Size", values: ["S", "M"] }],
  variants: [
    { price: 2500, options: { Size: "S" } },
    { price: 2700, options: { Size: "M" } },
  ],
});
const [small, medium] = shirt.variants.map((v) => v.id) as [string, string];
const base = "/api/v1/admin/orders";

interface Placed extends PlacedOrder {
  status: OrderStatus;
  customerId: string | null;
  createdAt: Date;
}

// Orders over three months, in every status, for two customers and guests; two placed at the same
// instant, so pages must break ties by id.
const SPEC: [status: OrderStatus, customer: "ada" | "bob" | null, day: string, email?: string][] = [
  ["pending_payment", "ada", "2026-09-03T10:00:00Z"],
  ["paid", "ada", "2026-09-20T08:30:00Z"],
  ["fulfilled", null, "2026-10-01T00:00:00Z", "Guest.Mixed@Example.com"],
  ["delivered", "bob", "2026-10-01T00:00:00Z"],
  ["cancelled", "bob", "2026-10-15T23:59:59Z"],
  ["partially_refunded", null, "2026-10-31T23:59:59.999Z", "guest.mixed@example.com"],
  ["refunded", "ada", "2026-11-01T00:00:00Z"],
  ["paid", "bob", "2026-11-02T12:00:00Z"],
  ["paid", null, "2026-11-20T18:45:00Z"],
  ["pending_payment", "bob", "2026-11-30T09:00:00Z"],
];
const ids = { ada: ada.id, bob: bob.id };
const emails = { ada: ada.email, bob: bob.email };
const placed: Placed[] = [];
for (const [status, who, at, email] of SPEC) {
  const createdAt = new Date(at);
  const customerId = who ? ids[who] : null;
  const order = await insertOrder(t, {
    lines: [
      { variantId: small, quantity: 1 },
      { variantId: medium, quantity: 2 },
    ],
    status,
    customerId,
    email: email ?? (who ? emails[who] : undefined),
    createdAt,
  });
  placed.push({ ...order, status, customerId, createdAt });
}

/** The model: what a filter should answer, newest first, ties by id descending. */
function expected(match: (o: Placed) => boolean): string[] {
  return placed
    .filter(match)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((o) => o.id);
}

/** Every page of a REST query, followed to the end. */
async function allPagesRest(query: string, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await staff.rest.get(`${base}?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    seen.push(...res.body.items.map((o: { id: string }) => o.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  return seen;
}

describe("listAdminOrders over REST", () => {
  test("every order newest first, as summaries with number, total and unit count", async () => {
    const res = await staff.rest.get(`${base}?limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual(expected(() => true));
    const first = placed.at(-1) as Placed;
    expect(res.body.items[0]).toEqual({
      id: first.id,
      number: first.number,
      status: "pending_payment",
      email: bob.email,
      customerId: bob.id,
      currency: "USD",
      total: 2500 + 2 * 2700,
      itemCount: 3,
      createdAt: first.createdAt.toISOString(),
    });
  });

  test("pages of 3 cover every order once, ties at one instant included", async () => {
    expect(await allPagesRest("", 3)).toEqual(expected(() => true));
    expect(await allPagesRest("", 1)).toEqual(expected(() => true));
  });

  test("status: one, several as a list or repeated", async () => {
    expect(await allPagesRest("status=paid", 2)).toEqual(expected((o) => o.status === "paid"));
    const several = expected((o) => o.status === "paid" || o.status === "partially_refunded");
    expect(await allPagesRest("status=paid,partially_refunded", 2)).toEqual(several);
    expect(await allPagesRest("status=paid&status=partially_refunded", 2)).toEqual(several);
  });

  test("a date range: createdFrom inclusive, createdTo exclusive, a bare date its midnight UTC", async () => {
    const october = expected((o) => o.createdAt >= new Date("2026-10-01") && o.createdAt < new Date("2026-11-01"));
    expect(october).toHaveLength(4);
    expect(await allPagesRest("createdFrom=2026-10-01&createdTo=2026-11-01", 3)).toEqual(october);
    // The same instants with offsets: 2026-10-01T02:00+02:00 is midnight UTC.
    const offsets = `createdFrom=${encodeURIComponent("2026-10-01T02:00:00+02:00")}&createdTo=2026-11-01T00:00:00Z`;
    expect(await allPagesRest(offsets, 10)).toEqual(october);
    expect(await allPagesRest("createdFrom=2026-11-20T18:45:00Z", 10)).toEqual(
      expected((o) => o.createdAt >= new Date("2026-11-20T18:45:00Z")),
    );
  });

  test("customer, number (with or without CW-, any case) and email in any case", async () => {
    expect(await allPagesRest(`customerId=${ada.id}`, 2)).toEqual(expected((o) => o.customerId === ada.id));
    const one = placed[4] as Placed;
    const digits = one.number.slice(3);
    for (const number of [one.number, digits, `cw-${digits}`]) {
      expect(await allPagesRest(`number=${number}`, 10)).toEqual([one.id]);
    }
    expect(await allPagesRest(`email=${encodeURIComponent("GUEST.mixed@example.COM")}`, 10)).toEqual(
      expected((o) => o.email.toLowerCase() === "guest.mixed@example.com"),
    );
    expect(await allPagesRest(`customerId=${ada.id}&status=paid,refunded&createdFrom=2026-09-10`, 10)).toEqual(
      expected(
        (o) =>
          o.customerId === ada.id &&
          (o.status === "paid" || o.status === "refunded") &&
          o.createdAt >= new Date("2026-09-10"),
      ),
    );
    expect(await allPagesRest(`customerId=${newId()}`, 10)).toEqual([]);
  });

  test("a bad filter value is a 400 naming the field", async () => {
    const cases: [string, string][] = [
      ["status=shipped", "status"],
      ["status=paid,bogus", "status"],
      ["status=", "status"],
      ["createdFrom=yesterday", "createdFrom"],
      ["createdFrom=2026-13-01", "createdFrom"],
      ["createdFrom=2026-10-01T00:00:00", "createdFrom"],
      ["createdFrom=0000-01-01", "createdFrom"],
      ["createdFrom=2026-11-01&createdTo=2026-10-01", "createdTo"],
      ["createdFrom=2026-11-01&createdTo=2026-11-01", "createdTo"],
      ["customerId=ada", "customerId"],
      ["number=CW-", "number"],
      ["number=ORD-100001", "number"],
      ["email=not-an-email", "email"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["cursor=bm90LWEtY3Vyc29y", "cursor"],
    ];
    for (const [query, field] of cases) {
      const res = await staff.rest.get(`${base}?${query}`);
      const named = res.body.errors?.map((e: { path: string }) => e.path);
      expect({ query, status: res.status, code: res.body.code, named }).toEqual({
        query,
        status: 400,
        code: "VALIDATION_FAILED",
        named: [field],
      });
    }
  });
});

describe("listAdminOrders over tRPC", () => {
  test("the same filters, statuses as an array or one status", async () => {
    const list = staff.trpc.admin.orders.list;
    const page = await list.query({ status: ["paid", "refunded"], customerId: ada.id });
    expect(page.items.map((o) => o.id)).toEqual(
      expected((o) => o.customerId === ada.id && (o.status === "paid" || o.status === "refunded")),
    );
    expect((await list.query({ status: "cancelled" })).items.map((o) => o.id)).toEqual(
      expected((o) => o.status === "cancelled"),
    );
    const first = await list.query({ limit: 4, createdTo: "2026-11-01" });
    const second = await list.query({ limit: 4, createdTo: "2026-11-01", cursor: first.nextCursor ?? "" });
    expect([...first.items, ...second.items].map((o) => o.id)).toEqual(
      expected((o) => o.createdAt < new Date("2026-11-01")),
    );
    expect(second.nextCursor).toBeNull();
  });

  test("a bad status is VALIDATION_FAILED naming status", async () => {
    const err = await trpcError(staff.trpc.admin.orders.list.query({ status: ["shipped" as OrderStatus] }));
    expect(err.data).toMatchObject({ code: "VALIDATION_FAILED", httpStatus: 400, errors: [{ path: "status" }] });
  });
});

describe("paging any filter combination", () => {
  test("the pages, followed to the end, are exactly the model's answer (property)", async () => {
    const day = fc.constantFrom(
      "2026-09-01",
      "2026-09-20T08:30:00Z",
      "2026-10-01",
      "2026-10-16",
      "2026-11-02",
      "2027-01-01",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            status: fc.subarray([...ORDER_STATUSES], { minLength: 1 }),
            customerId: fc.constantFrom(ada.id, bob.id),
            createdFrom: day,
            createdTo: day,
            email: fc.constantFrom(ada.email, "GUEST.MIXED@example.com"),
          },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 1, max: 4 }),
        async (filter, limit) => {
          fc.pre(!filter.createdFrom || !filter.createdTo || new Date(filter.createdFrom) < new Date(filter.createdTo));
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await orders.listAdminOrders(staff.ctx, { ...filter, limit, cursor });
            seen.push(...page.items.map((o) => o.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          const from = filter.createdFrom ? new Date(filter.createdFrom) : null;
          const to = filter.createdTo ? new Date(filter.createdTo) : null;
          expect(seen).toEqual(
            expected(
              (o) =>
                (!filter.status || filter.status.includes(o.status)) &&
                (!filter.customerId || o.customerId === filter.customerId) &&
                (!from || o.createdAt >= from) &&
                (!to || o.createdAt < to) &&
                (!filter.email || o.email.toLowerCase() === filter.email.toLowerCase()),
            ),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("who may list and read orders", () => {
  test("orders:read keys and staff may; a key without it 403 naming the scope; a customer 403; a guest 401", async () => {
    const order = placed[1] as Placed;
    const reader = await t.asKey(["orders:read"]);
    expect((await reader.rest.get(`${base}?limit=1`)).status).toBe(200);
    expect((await reader.rest.get(`${base}/${order.id}`)).status).toBe(200);
    expect((await reader.trpc.admin.orders.get.query({ id: order.id })).number).toBe(order.number);

    const writerOnly = await t.asKey(["catalog:write"]);
    for (const path of [base, `${base}/${order.id}`]) {
      const refused = await writerOnly.rest.get(path);
      expect(refused.status).toBe(403);
      expect(refused.body.missingScope).toBe("orders:read");
    }
    const customer = t.as(ada);
    expect((await customer.rest.get(base)).status).toBe(403);
    expect((await customer.rest.get(`${base}/${order.id}`)).status).toBe(403);
    expect((await trpcError(customer.trpc.admin.orders.list.query({}))).data).toMatchObject({ code: "FORBIDDEN" });
    expect((await trpcError(customer.trpc.admin.orders.get.query({ id: order.id }))).data).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await t.rest.get(base)).status).toBe(401);
  });
});

describe("getAdminOrder", () => {
  test("any customer's or guest's order, with its lines; an unknown id is 404 on both transports", async () => {
    const guest = placed[2] as Placed;
    const res = await staff.rest.get(`${base}/${guest.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: guest.id,
      number: guest.number,
      status: "fulfilled",
      customerId: null,
      events: [],
      items: [
        { title: "Linen shirt", variantTitle: "S", quantity: 1, unitPrice: 2500, total: 2500 },
        { title: "Linen shirt", variantTitle: "M", quantity: 2, unitPrice: 2700, total: 5400 },
      ],
    });
    expect(await staff.trpc.admin.orders.get.query({ id: guest.id })).toEqual(res.body);
    const missing = newId();
    expect((await staff.rest.get(`${base}/${missing}`)).status).toBe(404);
    expect((await trpcError(staff.trpc.admin.orders.get.query({ id: missing }))).data).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
