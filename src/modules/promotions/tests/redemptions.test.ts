import { describe, expect, test } from "bun:test";
import { bareOrderId } from "../../../../tests/factories/orders";
import { makePromotion } from "../../../../tests/factories/promotions";
import { useTestApp } from "../../../../tests/harness";
import { AppError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import * as promotions from "../service";

const t = await useTestApp();
const ctx = t.ctx({ kind: "system", name: "checkout" });
const staff = t.as(await t.user("staff"));

/** Each call its own transaction, as concurrent checkouts are. */
const redeem = async (promotionId: string, userId: string | null, orderId?: string) => {
  const order = orderId ?? (await bareOrderId(t, userId));
  return inTransaction(ctx, (tx) => promotions.redeemInTx(tx, { promotionId, userId, orderId: order }));
};
const reasonOf = (err: unknown) => (err instanceof AppError ? err.details?.reason : err);
const usageCount = async (id: string) =>
  (await t.sql`select usage_count from promotions where id = ${id}`)[0]?.usage_count;

describe("redeemInTx", () => {
  test("counts redemptions; without limits every one passes", async () => {
    const p = await makePromotion(t, { code: "NOLIMIT" });
    await redeem(p.id, null);
    await redeem(p.id, null);
    expect(await usageCount(p.id)).toBe(2);
    expect((await staff.trpc.admin.promotions.get.query({ id: p.id })).usageCount).toBe(2);
  });

  test("10 concurrent redemptions of the last use: exactly one succeeds, the rest are usage_limit_reached", async () => {
    const p = await makePromotion(t, { code: "LASTONE", usageLimit: 1 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => redeem(p.id, null)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const reasons = results.flatMap((r) => (r.status === "rejected" ? [reasonOf(r.reason)] : []));
    expect(reasons).toEqual(Array(9).fill("usage_limit_reached"));
    expect(await usageCount(p.id)).toBe(1);
    const [row] = await t.sql`select count(*)::int as n from promotion_redemptions where promotion_id = ${p.id}`;
    expect(row?.n).toBe(1);
  });

  test("one customer racing for their last use: exactly one succeeds; another customer still may", async () => {
    const p = await makePromotion(t, { code: "ONCEEACH", usageLimitPerCustomer: 1 });
    const [me, other] = [await t.user(), await t.user()];
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => redeem(p.id, me.id)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(
      results.filter((r) => r.status === "rejected").map((r) => reasonOf((r as PromiseRejectedResult).reason)),
    ).toEqual(Array(9).fill("usage_limit_reached"));
    await redeem(p.id, other.id);
    expect(await usageCount(p.id)).toBe(2);
    expect(await redeem(p.id, null).catch(reasonOf)).toBe("not_eligible");
  });

  test("a promotion that is gone is not_found", async () => {
    expect(await redeem(newId(), null).catch(reasonOf)).toBe("not_found");
  });
});

describe("releaseInTx", () => {
  test("gives the use back once, however often it is called", async () => {
    const p = await makePromotion(t, { code: "GIVEBACK", usageLimit: 1 });
    const orderId = await bareOrderId(t);
    await redeem(p.id, null, orderId);
    expect(await redeem(p.id, null).catch(reasonOf)).toBe("usage_limit_reached");
    const release = () => inTransaction(ctx, (tx) => promotions.releaseInTx(tx, { promotionId: p.id, orderId }));
    await Promise.all([release(), release()]);
    await release();
    expect(await usageCount(p.id)).toBe(0);
    await redeem(p.id, null);
    expect(await usageCount(p.id)).toBe(1);
  });
});

describe("deletePromotion", () => {
  test("a redeemed promotion is a 409 saying to disable it; an unused one is deleted", async () => {
    const used = await makePromotion(t, { code: "USEDONE" });
    await redeem(used.id, null);
    const refused = await staff.rest.delete(`/api/v1/admin/promotions/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "CONFLICT" });
    expect(refused.body.detail).toContain("disable it instead");
    const unused = await makePromotion(t, { code: "UNUSED" });
    expect((await staff.rest.delete(`/api/v1/admin/promotions/${unused.id}`)).status).toBe(204);
    expect((await staff.rest.get(`/api/v1/admin/promotions/${unused.id}`)).status).toBe(404);
  });
});
