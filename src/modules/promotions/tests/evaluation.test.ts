import { describe, expect, test } from "bun:test";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import type { PricingLine } from "../../pricing/service";
import * as promotions from "../service";

const t = await useTestApp();
const ctx = t.ctx();
const now = new Date("2026-12-01T12:00:00Z");
const HOUR = 3_600_000;

const line = (fields: Partial<PricingLine> = {}): PricingLine => ({
  id: newId(),
  productId: newId(),
  variantId: newId(),
  categoryIds: [],
  collectionIds: [],
  unitPrice: 1000,
  quantity: 1,
  weightGrams: 100,
  ...fields,
});

const facts = (
  lines: PricingLine[] = [line()],
  customer: promotions.PromotionFacts["customer"] = null,
): promotions.PromotionFacts => ({
  now,
  lines,
  subtotal: lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0),
  customer,
});
const signedIn = (ordersPlaced = 0) => ({ userId: newId(), ordersPlaced });

/** A unique code, so that promotions made by one test never meet another's. */
let n = 0;
const code = () => `CODE-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** Why `c` is refused for these facts, or null when it applies (checked both ways: the cart read and applying). */
async function refusal(c: string, f: promotions.PromotionFacts) {
  const read = await promotions.promotionsForCart(ctx, { code: c, facts: f });
  const applied = await promotions.assertCodeApplies(ctx, { code: c, facts: f }).then(
    () => null,
    (err: unknown) => {
      if (!(err instanceof AppError) || err.code !== "COUPON_INVALID") throw err;
      return err.details?.reason;
    },
  );
  expect(applied).toBe(read.code?.refusal ?? null);
  return read.code?.refusal;
}

describe("codes", () => {
  test("match in any case and answer the stored spelling", async () => {
    const stored = code().replace("CODE", "Save");
    const p = await makePromotion(t, { code: stored });
    const read = await promotions.promotionsForCart(ctx, { code: stored.toUpperCase(), facts: facts() });
    expect(read.code).toEqual({ code: stored, promotionId: p.id, refusal: null });
    expect(read.applied.map((a) => a.id)).toContain(p.id);
    expect(await promotions.assertCodeApplies(ctx, { code: stored.toLowerCase(), facts: facts() })).toEqual({
      promotionId: p.id,
      code: stored,
    });
  });

  test("an unknown or disabled code is not_found, with COUPON_INVALID naming reason and code", async () => {
    expect(await refusal("NOPE-123", facts())).toBe("not_found");
    const c = code();
    await makePromotion(t, { code: c, enabled: false });
    expect(await refusal(c, facts())).toBe("not_found");
    const err = await promotions.assertCodeApplies(ctx, { code: c, facts: facts() }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: "COUPON_INVALID", details: { reason: "not_found", couponCode: c } });
  });

  test("dates: not_started before startsAt, expired at endsAt, applies between", async () => {
    const c = code();
    await makePromotion(t, {
      code: c,
      startsAt: new Date(now.getTime() - HOUR).toISOString(),
      endsAt: new Date(now.getTime() + HOUR).toISOString(),
    });
    expect(await refusal(c, facts())).toBeNull();
    expect(await refusal(c, { ...facts(), now: new Date(now.getTime() - HOUR - 1) })).toBe("not_started");
    expect(await refusal(c, { ...facts(), now: new Date(now.getTime() + HOUR) })).toBe("expired");
  });

  test("minSubtotal: minimum_not_met below it, applies at it", async () => {
    const c = code();
    await makePromotion(t, { code: c, minSubtotal: 2000 });
    expect(await refusal(c, facts([line({ unitPrice: 1999 })]))).toBe("minimum_not_met");
    expect(await refusal(c, facts([line({ unitPrice: 1000, quantity: 2 })]))).toBeNull();
  });

  test("customersOnly: not_eligible for a guest, applies signed in", async () => {
    const c = code();
    await makePromotion(t, { code: c, customersOnly: true });
    expect(await refusal(c, facts())).toBe("not_eligible");
    expect(await refusal(c, facts([line()], signedIn()))).toBeNull();
  });

  test("customerIds: only the listed customers", async () => {
    const c = code();
    const listed = signedIn();
    await makePromotion(t, { code: c, customerIds: [listed.userId] });
    expect(await refusal(c, facts([line()], listed))).toBeNull();
    expect(await refusal(c, facts([line()], signedIn()))).toBe("not_eligible");
    expect(await refusal(c, facts())).toBe("not_eligible");
  });

  test("firstOrderOnly: a customer with no order placed, not one with orders, not a guest", async () => {
    const c = code();
    await makePromotion(t, { code: c, firstOrderOnly: true });
    expect(await refusal(c, facts([line()], signedIn(0)))).toBeNull();
    expect(await refusal(c, facts([line()], signedIn(1)))).toBe("not_eligible");
    expect(await refusal(c, facts())).toBe("not_eligible");
  });

  test("usage limits: usage_limit_reached once the total or the customer's own uses are used up", async () => {
    const total = await makePromotion(t, { code: code(), usageLimit: 1 });
    const f = facts([line()], signedIn());
    expect(await refusal(total.code as string, f)).toBeNull();
    await t.sql`update promotions set usage_count = 1 where id = ${total.id}`;
    expect(await refusal(total.code as string, f)).toBe("usage_limit_reached");

    const user = await t.user();
    const mine = await makePromotion(t, { code: code(), usageLimitPerCustomer: 1 });
    const me = facts([line()], { userId: user.id, ordersPlaced: 0 });
    expect(await refusal(mine.code as string, me)).toBeNull();
    await t.sql`insert into promotion_redemptions (id, promotion_id, user_id) values (${newId()}, ${mine.id}, ${user.id})`;
    expect(await refusal(mine.code as string, me)).toBe("usage_limit_reached");
    expect(await refusal(mine.code as string, facts([line()], signedIn()))).toBeNull();
    // A guest cannot be counted per customer.
    expect(await refusal(mine.code as string, facts())).toBe("not_eligible");
  });

  test("reports the first failing reason: dates, then minimum, then usage, then eligibility", async () => {
    const c = code();
    const p = await makePromotion(t, {
      code: c,
      endsAt: new Date(now.getTime() + HOUR).toISOString(),
      minSubtotal: 5000,
      usageLimit: 1,
      customersOnly: true,
    });
    await t.sql`update promotions set usage_count = 1 where id = ${p.id}`;
    const guestCart = facts([line({ unitPrice: 100 })]);
    expect(await refusal(c, { ...guestCart, now: new Date(now.getTime() + HOUR) })).toBe("expired");
    expect(await refusal(c, guestCart)).toBe("minimum_not_met");
    expect(await refusal(c, facts([line({ unitPrice: 6000 })]))).toBe("usage_limit_reached");
    await t.sql`update promotions set usage_count = 0 where id = ${p.id}`;
    expect(await refusal(c, facts([line({ unitPrice: 6000 })]))).toBe("not_eligible");
  });

  test("an admin change reaches the next cart read (the cached definitions are invalidated)", async () => {
    const c = code();
    const p = await makePromotion(t, { code: c });
    expect(await refusal(c, facts())).toBeNull();
    await t.trpcWith((await t.user("staff")).headers).admin.promotions.update.mutate({ id: p.id, enabled: false });
    expect(await refusal(c, facts())).toBe("not_found");
  });
});

describe("targets", () => {
  const product = newId();
  const variant = newId();
  const parent = newId();
  const collection = newId();
  const cases: [
    string,
    Partial<Record<"productIds" | "variantIds" | "categoryIds" | "collectionIds", string[]>>,
    PricingLine,
  ][] = [
    ["product", { productIds: [product] }, line({ productId: product })],
    ["variant", { variantIds: [variant] }, line({ variantId: variant })],
    ["category (via an ancestor)", { categoryIds: [parent] }, line({ categoryIds: [newId(), parent] })],
    ["collection", { collectionIds: [collection] }, line({ collectionIds: [collection] })],
  ];
  for (const [name, ids, matching] of cases) {
    test(`${name}: applies with a matching line, not_eligible without`, async () => {
      const c = code();
      await makePromotion(t, { code: c, target: "items", ...ids });
      expect(await refusal(c, facts([line(), matching]))).toBeNull();
      expect(await refusal(c, facts([line(), line()]))).toBe("not_eligible");
    });
  }

  test("an order target applies to any cart", async () => {
    const c = code();
    await makePromotion(t, { code: c });
    expect(await refusal(c, facts([line()]))).toBeNull();
  });

  test("each kind reaches pricing as its effect and target", async () => {
    const kinds = [
      [
        { kind: "percentage", percent: 15 },
        { kind: "percentage", percent: 15 },
      ],
      [
        { kind: "fixed", amount: 500 },
        { kind: "fixed", amount: 500 },
      ],
      [{ kind: "free_shipping" }, { kind: "free_shipping" }],
      [
        { kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1 },
        { kind: "buy_x_get_y", buyQuantity: 2, getQuantity: 1, percent: 100, maxApplications: null },
      ],
    ] as const;
    for (const [fields, effect] of kinds) {
      const c = code();
      const target = fields.kind === "free_shipping" ? {} : { target: "items" as const, productIds: [product] };
      const p = await makePromotion(t, { code: c, ...fields, ...target, priority: 3 });
      const read = await promotions.promotionsForCart(ctx, { code: c, facts: facts([line({ productId: product })]) });
      expect(read.applied.find((a) => a.id === p.id)).toEqual({
        id: p.id,
        code: c,
        name: "Test promotion",
        effect,
        target:
          fields.kind === "free_shipping"
            ? { kind: "order" }
            : { kind: "items", productIds: [product], variantIds: [], categoryIds: [], collectionIds: [] },
        priority: 3,
      });
    }
  });
});
