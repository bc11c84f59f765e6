import { expect, test } from "bun:test";
import { insertOrder } from "../../../../tests/factories/placed-orders";
import { makeProduct } from "../../../../tests/factories/products";
import { useTestApp } from "../../../../tests/harness";
import { type ReceivedMail, useSmtpServer } from "../../../../tests/smtp-server";
import { inTransaction } from "../../../lib/transaction";
import * as orders from "../service";

// A real SMTP server in this process: the order email goes through nodemailer's SMTP transport (SMTP_URL) to it.
const { received, env } = await useSmtpServer();
const t = await useTestApp({ env });

/** The text part of a MIME message, quoted-printable decoded as UTF-8. */
function textPart(raw: string): string {
  const start = raw.indexOf("Content-Type: text/plain");
  const body = raw.slice(raw.indexOf("\r\n\r\n", start) + 4, raw.indexOf("\r\n----", start));
  const bytes = body
    .replace(/=\r\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

test("the order confirmation arrives through a real SMTP server: subject, number and lines", async () => {
  expect(t.deps.mailer.kind).toBe("smtp");
  const board = await makeProduct(t, { title: "Walnut cutting board", variants: [{ price: 5400 }] });
  const order = await insertOrder(t, {
    lines: [{ variantId: board.variants[0]?.id as string, quantity: 2 }],
    email: "grace@example.test",
  });
  await inTransaction(t.ctx({ kind: "system", name: "test" }), (tx) =>
    orders.enqueueOrderEmailInTx(tx, { orderId: order.id, kind: "confirmation" }),
  );
  await t.runJobs();

  expect(received).toHaveLength(1);
  const [mail] = received as [ReceivedMail];
  expect(mail.mailFrom).toBe("orders@shop.test");
  expect(mail.to).toEqual(["grace@example.test"]);
  expect(mail.raw).toContain(`Subject: Order ${order.number} confirmed`);
  expect(mail.raw).toContain("Content-Type: multipart/alternative");
  const text = textPart(mail.raw);
  expect(text).toContain(`Thank you for your order ${order.number}.`);
  expect(text).toContain("2 × Walnut cutting board  $108.00");
  expect(text).toContain("Total: $108.00");
  // Through SMTP, the dev transport stored nothing; and a second run sends nothing more.
  expect(t.mails()).toHaveLength(0);
  await orders.sendOrderEmail(
    t.ctx({ kind: "system", name: "test" }),
    { orderId: order.id, kind: "confirmation" },
    {
      mailer: t.deps.mailer,
      storefrontUrl: "https://shop.test",
    },
  );
  expect(received).toHaveLength(1);
});
