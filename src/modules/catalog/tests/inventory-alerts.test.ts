import { beforeAll, describe, expect, test } from "bun:test";
import { makeProduct } from "../../../../tests/factories/products";
import { type TestUser, useTestApp } from "../../../../tests/harness";
import { enqueue } from "../../../jobs/enqueue";
import type { Mail } from "../../../lib/mailer";
import { inTransaction } from "../../../lib/transaction";
import { sendLowStockAlert } from "../inventory-alerts";
import { lowStockAlertJob, reserveInTx } from "../service";

const t = await useTestApp();
let people: { staff: TestUser; admin: TestUser; customer: TestUser; disabled: TestUser };
beforeAll(async () => {
  people = {
    staff: await t.user("staff"),
    admin: await t.user("admin"),
    customer: await t.user("customer"),
    disabled: await t.user("staff"),
  };
  await t.sql`update users set disabled_at = now() where id = ${people.disabled.id}`;
});
const staff = () => t.as(people.staff);

async function variantWith(onHand: number, lowStockThreshold: number) {
  const product = await makeProduct(t, { title: "Kettle", variants: [{ price: 1000, onHand, lowStockThreshold }] });
  const [variant] = product.variants;
  if (!variant) throw new Error("no variant");
  return variant;
}

const adjust = (variantId: string, delta: number) =>
  staff().rest.post(`/api/v1/admin/inventory/${variantId}/adjustments`, { delta, reason: "test" });

/** The payload of the alert the variant's latest change queued. */
async function crossingOf(variantId: string) {
  const [entry] = await t.sql`
    select id, on_hand_after - reserved_after as available from inventory_ledger
    where variant_id = ${variantId} order by created_at desc, id desc limit 1`;
  const [level] = await t.sql`select low_stock_threshold from inventory_levels where variant_id = ${variantId}`;
  return { variantId, ledgerEntryId: entry?.id, available: entry?.available, threshold: level?.low_stock_threshold };
}

/** The alerts sent so far about this SKU, after running every due job. */
async function alertsAbout(sku: string) {
  await t.runJobs();
  return t.mails().filter((m) => m.subject.includes(sku));
}

describe("low-stock alerts", () => {
  test("one per crossing to every active staff and admin account, none for sales below the threshold", async () => {
    const variant = await variantWith(5, 2);
    await adjust(variant.id, -2); // 3 left: above the threshold
    expect(await alertsAbout(variant.sku)).toHaveLength(0);

    await adjust(variant.id, -1); // 2 left: crossed
    const first = await alertsAbout(variant.sku);
    expect(first.map((m) => m.to).sort()).toEqual([people.staff.email, people.admin.email].sort());
    expect(first[0]?.subject).toBe(`Low stock: ${variant.sku} has 2 left`);
    expect(first[0]?.text).toContain("Kettle");
    expect(first[0]?.text).toContain("low-stock threshold of 2");

    await adjust(variant.id, -1); // 1 left: still below, no new alert
    expect(await alertsAbout(variant.sku)).toHaveLength(2);

    await adjust(variant.id, 5); // 6: above again, which arms the next one
    await adjust(variant.id, -4); // 2: crossed again
    expect(await alertsAbout(variant.sku)).toHaveLength(4);
  });

  test("each crossing alerts even when several happen before the job runs", async () => {
    const variant = await variantWith(3, 1);
    await adjust(variant.id, -2);
    await adjust(variant.id, 2);
    await adjust(variant.id, -2);
    expect(await alertsAbout(variant.sku)).toHaveLength(4);
  });

  test("a stock take and a checkout's reservation cross too; a refused change alerts nobody", async () => {
    const counted = await variantWith(10, 4);
    await staff().rest.put(`/api/v1/admin/inventory/${counted.id}`, { onHand: 3, reason: "count" });
    expect(await alertsAbout(counted.sku)).toHaveLength(2);

    const reserved = await variantWith(3, 1);
    expect((await adjust(reserved.id, -4)).status).toBe(409);
    expect(await alertsAbout(reserved.sku)).toHaveLength(0);
    const ctx = t.as(people.customer).ctx;
    await inTransaction(ctx, (tx) => reserveInTx(tx, { lines: [{ variantId: reserved.id, quantity: 2 }] }));
    expect(await alertsAbout(reserved.sku)).toHaveLength(2);
  });

  test("a threshold of 0 never alerts, selling out included", async () => {
    const variant = await variantWith(2, 0);
    await adjust(variant.id, -2);
    expect(await alertsAbout(variant.sku)).toHaveLength(0);
  });

  test("the same alert run twice mails each person once", async () => {
    const variant = await variantWith(4, 2);
    await adjust(variant.id, -2);
    const alert = await crossingOf(variant.id);
    // A second copy of the queued job, as a retry after a crash would run it.
    await inTransaction(t.ctx({ kind: "system", name: "test" }), (tx) => enqueue(tx, lowStockAlertJob, alert));
    expect(await alertsAbout(variant.sku)).toHaveLength(2);
    await sendLowStockAlert(t.ctx({ kind: "system", name: "test" }), alert, t.deps.mailer);
    expect(t.mails().filter((m) => m.subject.includes(variant.sku))).toHaveLength(2);
  });

  test("a mail that fails is sent by the retry; those already sent are not sent again", async () => {
    const variant = await variantWith(4, 2);
    await adjust(variant.id, -2);
    const alert = await crossingOf(variant.id);
    const sent: Mail[] = [];
    const flaky = {
      send: async (mail: Mail) => {
        if (sent.length === 1) throw new Error("SMTP down");
        sent.push(mail);
        return { ...mail, messageId: "m" };
      },
    };
    const ctx = t.ctx({ kind: "system", name: "test" });
    await expect(sendLowStockAlert(ctx, alert, flaky)).rejects.toThrow("SMTP down");
    const retry: Mail[] = [];
    await sendLowStockAlert(ctx, alert, {
      send: async (mail) => {
        retry.push(mail);
        return { ...mail, messageId: "m" };
      },
    });
    expect(sent).toHaveLength(1);
    expect(retry).toHaveLength(1);
    expect([...sent, ...retry].map((m) => m.to).sort()).toEqual([people.staff.email, people.admin.email].sort());
  });
});
