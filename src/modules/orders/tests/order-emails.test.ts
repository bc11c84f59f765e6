import { describe, expect, test } from "bun:test";
import { insertOrder, type PlacedOrder } from "../../../../tests/factories/placed-orders";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { newId } from "../../../lib/ids";
import { inTransaction } from "../../../lib/transaction";
import { formatMoney } from "../emails/format";
import type { OrderEmailPayload } from "../jobs";
import * as orders from "../service";

const STOREFRONT = "https://shop.example.test";
const t = await useTestApp({ env: { STOREFRONT_URL: `${STOREFRONT}/` } });
const system = t.ctx({ kind: "system", name: "test" });
const staff = t.as(await t.user("staff"));
const kettle = await makeProduct(t, {
  title: "Kettle",
  options: [{ name: "Finish", values: ["Steel"] }],
  variants: [{ price: 3999, options: { Finish: "Steel" } }],
});
const mug = await makeProduct(t, { title: "Mug", variants: [{ price: 1250 }] });
const env = { mailer: t.deps.mailer, storefrontUrl: STOREFRONT };

/** A paid order of one steel kettle and two mugs, with 4.95 shipping: 39.99 + 25.00 + 4.95 = 69.94. */
const paidOrder = () =>
  insertOrder(t, {
    lines: [
      { variantId: kettle.variants[0]?.id as string, quantity: 1 },
      { variantId: mug.variants[0]?.id as string, quantity: 2 },
    ],
    status: "paid",
    shipping: 495,
  });

const enqueue = (payload: OrderEmailPayload) =>
  inTransaction(system, (tx) => orders.enqueueOrderEmailInTx(tx, payload));
const mailsTo = (order: PlacedOrder) => t.mails().filter((m) => m.to === order.email);
const claims = async (key: string) => t.sql`select key, message_id from email_sends where key = ${key}`;

/** The HTML part of a stored mail (the dev transport keeps both parts, decoded). */
const htmlPart = (text: string) => text.slice(text.indexOf("Content-Type: text/html"));

describe("the send-order-email task", () => {
  test("the confirmation: order number, each line with its variant, quantity and total, the totals and a link", async () => {
    const order = await paidOrder();
    await enqueue({ orderId: order.id, kind: "confirmation" });
    await t.runJobs();
    const [mail, ...more] = mailsTo(order);
    expect(more).toHaveLength(0);
    expect(mail?.subject).toBe(`Order ${order.number} confirmed`);
    const text = mail?.text ?? "";
    expect(text).toContain("Hello Ada Lovelace,");
    expect(text).toContain(`Thank you for your order ${order.number}.`);
    expect(text).toContain("1 × Kettle (Steel)  $39.99");
    expect(text).toContain("2 × Mug  $25.00");
    expect(text).toContain("Subtotal: $64.99");
    expect(text).toContain("Shipping: $4.95");
    expect(text).toContain("Total: $69.94");
    expect(text).not.toContain("Discount");
    // The storefront URL's trailing slash is not doubled.
    expect(text).toContain(`View your order: ${STOREFRONT}/orders/${order.id}`);
    expect(htmlPart(text)).toContain(`<a href="${STOREFRONT}/orders/${order.id}">View your order ${order.number}</a>`);
  });

  test("payment received, shipped with carrier, tracking number and link, cancelled with its reason, refunded with the amount", async () => {
    const order = await paidOrder();
    await enqueue({ orderId: order.id, kind: "payment_received" });
    const sent = await orders.fulfillOrder(staff.ctx, {
      id: order.id,
      carrier: "Royal Mail",
      trackingNumber: "RM123456789GB",
      trackingUrl: "https://track.example.test/RM123456789GB?a=1&b=2",
      items: [{ orderItemId: order.lines[1]?.id as string, quantity: 1 }],
    });
    const refundId = newId();
    await t.sql`insert into refunds (id, order_id, amount, status, reason, actor)
      values (${refundId}, ${order.id}, 1250, 'succeeded', 'One mug arrived chipped', 'system:test')`;
    await t.sql`update orders set refunded_amount = 1250 where id = ${order.id}`;
    await enqueue({ orderId: order.id, kind: "refunded", refId: refundId });
    await inTransaction(system, async (tx) => {
      const locked = await orders.lockOrder(tx, order.id);
      await orders.transitionInTx(tx, locked, "cancelled", { reason: "Out of stock at the warehouse" });
      await orders.enqueueOrderEmailInTx(tx, { orderId: order.id, kind: "cancelled" });
    });
    await t.runJobs();

    const bySubject = new Map(mailsTo(order).map((m) => [m.subject, m.text]));
    expect([...bySubject.keys()].sort()).toEqual(
      [
        `Payment received for order ${order.number}`,
        `Your order ${order.number} has shipped`,
        `Refund of $12.50 for order ${order.number}`,
        `Your order ${order.number} was cancelled`,
      ].sort(),
    );
    expect(bySubject.get(`Payment received for order ${order.number}`)).toContain("your payment of $69.94");
    const shipped = bySubject.get(`Your order ${order.number} has shipped`) ?? "";
    expect(shipped).toContain("on its way with Royal Mail");
    expect(shipped).toContain("Tracking number: RM123456789GB");
    expect(shipped).toContain("Track your parcel: https://track.example.test/RM123456789GB?a=1&b=2");
    expect(shipped).toContain("In this parcel: 1 × Mug");
    expect(htmlPart(shipped)).toContain('<a href="https://track.example.test/RM123456789GB?a=1&amp;b=2">');
    expect(sent.fulfillments).toHaveLength(1);
    const refunded = bySubject.get(`Refund of $12.50 for order ${order.number}`) ?? "";
    expect(refunded).toContain(`We have refunded $12.50 of your order ${order.number}`);
    expect(refunded).toContain("Reason: One mug arrived chipped");
    expect(refunded).toContain("Refunded: -$12.50");
    const cancelled = bySubject.get(`Your order ${order.number} was cancelled`) ?? "";
    expect(cancelled).toContain("Reason: Out of stock at the warehouse");
    expect(cancelled).toContain("The $69.94 you paid is refunded");
  });

  test("a job run twice, or its mail queued twice, sends one mail", async () => {
    const order = await paidOrder();
    const payload = { orderId: order.id, kind: "confirmation" } as const;
    await enqueue(payload);
    await t.runJobs();
    await enqueue(payload);
    await t.runJobs();
    await orders.sendOrderEmail(system, payload, env);
    expect(mailsTo(order)).toHaveLength(1);
    const [claim] = await claims(orders.orderEmailKey(payload));
    expect(claim?.message_id).toEqual(expect.stringContaining("@"));
  });

  test("a send that fails gives its claim back and throws, so the retry sends it", async () => {
    const order = await paidOrder();
    const payload = { orderId: order.id, kind: "payment_received" } as const;
    const down = { mailer: { send: () => Promise.reject(new Error("SMTP 421 try later")) }, storefrontUrl: STOREFRONT };
    await expect(orders.sendOrderEmail(system, payload, down)).rejects.toThrow("SMTP 421 try later");
    expect(await claims(orders.orderEmailKey(payload))).toHaveLength(0);
    await orders.sendOrderEmail(system, payload, env);
    expect(mailsTo(order)).toHaveLength(1);
  });

  test("a rerun after a crash between claim and send sends nothing: at most one mail", async () => {
    const order = await paidOrder();
    const payload = { orderId: order.id, kind: "confirmation" } as const;
    // What a process killed after the claim leaves behind.
    await t.sql`insert into email_sends (key, "to", subject) values (${orders.orderEmailKey(payload)}, ${order.email}, 'claimed')`;
    await enqueue(payload);
    await t.runJobs();
    expect(mailsTo(order)).toHaveLength(0);
  });

  test("every value is escaped in the HTML: a product title with <script>", async () => {
    const evil = await makeProduct(t, { title: `<script>alert("x")</script> & <b>Co</b>`, variants: [{ price: 100 }] });
    const order = await insertOrder(t, {
      lines: [{ variantId: evil.variants[0]?.id as string, quantity: 1 }],
      status: "paid",
    });
    await enqueue({ orderId: order.id, kind: "confirmation" });
    await t.runJobs();
    const [mail] = mailsTo(order);
    const html = htmlPart(mail?.text ?? "");
    expect(html).toContain("Content-Type: text/html");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>");
    expect(html).toContain("1 × &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Co&lt;/b&gt;");
    // The plain-text part shows the title as it is.
    expect(mail?.text).toContain(`1 × <script>alert("x")</script> & <b>Co</b>  $1.00`);
  });

  test("nothing is sent or claimed for an order, parcel or refund that does not exist", async () => {
    const order = await paidOrder();
    const payloads: OrderEmailPayload[] = [
      { orderId: newId(), kind: "confirmation" },
      { orderId: order.id, kind: "shipped", refId: newId() },
      { orderId: order.id, kind: "refunded", refId: newId() },
    ];
    for (const payload of payloads) {
      await orders.sendOrderEmail(system, payload, env);
      expect(await claims(orders.orderEmailKey(payload))).toHaveLength(0);
    }
    expect(mailsTo(order)).toHaveLength(0);
  });
});

describe("formatMoney", () => {
  test("minor units in the currency's own decimals", () => {
    expect(formatMoney(4319, "USD")).toBe("$43.19");
    expect(formatMoney(4319, "JPY")).toBe("¥4,319");
    expect(formatMoney(4319, "KWD")).toBe("KWD\u00a04.319");
    expect(formatMoney(123456789, "EUR")).toBe("€1,234,567.89");
    expect(formatMoney(-500, "USD")).toBe("-$5.00");
    expect(formatMoney(0, "GBP")).toBe("£0.00");
  });
});
