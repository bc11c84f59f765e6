import type { Mail } from "../../../lib/mailer";
import type { Order } from "../schemas";
import { escapeHtml, formatMoney } from "./format";

type Parcel = Order["fulfillments"][number];
type Refund = Order["refunds"][number];

/** What an order email tells about: its kind, and the parcel, refund or reason it concerns. */
export type OrderEmailEvent =
  | { kind: "confirmation" }
  | { kind: "payment_received" }
  | { kind: "shipped"; parcel: Parcel }
  | { kind: "cancelled"; reason: string }
  | { kind: "refunded"; refund: Refund };

/** A paragraph: plain text, or a link with its label. */
type Block = string | { label: string; href: string };

interface Message {
  subject: string;
  blocks: Block[];
}

/**
 * The email about one event of an order, in plain text and simple HTML: what happened, the order's
 * lines and totals, and a link to the order on the storefront. Every value from the order is escaped in the HTML.
 */
export function composeOrderEmail(order: Order, event: OrderEmailEvent, storefrontUrl: string): Mail {
  const money = (minor: number) => formatMoney(minor, order.currency);
  const { subject, blocks } = messageFor(order, event, money);
  const link = `${storefrontUrl.replace(/\/+$/, "")}/orders/${order.id}`;
  const greeting = `Hello ${order.shippingAddress.name},`;
  const lines = order.items.map((item) => ({
    what: `${item.quantity} × ${itemName(item)}`,
    amount: money(item.total),
  }));
  const totals = totalsOf(order).map(([label, minor]) => ({ label, amount: money(minor) }));
  return {
    to: order.email,
    subject,
    text: [
      greeting,
      ...blocks.map((b) => (typeof b === "string" ? b : `${b.label}: ${b.href}`)),
      lines.map((l) => `  ${l.what}  ${l.amount}`).join("\n"),
      totals.map((t) => `  ${t.label}: ${t.amount}`).join("\n"),
      `View your order: ${link}`,
    ].join("\n\n"),
    html: [
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
      `<p>${escapeHtml(greeting)}</p>`,
      ...blocks.map((b) => `<p>${typeof b === "string" ? escapeHtml(b) : anchor(b.href, b.label)}</p>`),
      '<table cellpadding="4" style="border-collapse:collapse">',
      ...lines.map((l) => `<tr><td>${escapeHtml(l.what)}</td><td align="right">${escapeHtml(l.amount)}</td></tr>`),
      ...totals.map(
        (t) => `<tr><th align="left">${escapeHtml(t.label)}</th><td align="right">${escapeHtml(t.amount)}</td></tr>`,
      ),
      "</table>",
      `<p>${anchor(link, `View your order ${order.number}`)}</p>`,
      "</body></html>",
    ].join("\n"),
  };
}

function messageFor(order: Order, event: OrderEmailEvent, money: (minor: number) => string): Message {
  const n = order.number;
  switch (event.kind) {
    case "confirmation":
      return {
        subject: `Order ${n} confirmed`,
        blocks: [`Thank you for your order ${n}. We will email you again when it ships.`],
      };
    case "payment_received":
      return {
        subject: `Payment received for order ${n}`,
        blocks: [`We have received your payment of ${money(order.paidAmount)} for order ${n}. It ships soon.`],
      };
    case "shipped":
      return {
        subject: `Your order ${n} has shipped`,
        blocks: [
          `Part or all of your order ${n} is on its way with ${event.parcel.carrier}.`,
          `Tracking number: ${event.parcel.trackingNumber}`,
          ...(event.parcel.trackingUrl ? [{ label: "Track your parcel", href: event.parcel.trackingUrl }] : []),
          `In this parcel: ${parcelContents(order, event.parcel)}`,
        ],
      };
    case "cancelled":
      return {
        subject: `Your order ${n} was cancelled`,
        blocks: [
          `Your order ${n} was cancelled.`,
          ...(event.reason ? [`Reason: ${event.reason}`] : []),
          ...(order.paidAmount > 0
            ? [`The ${money(order.paidAmount)} you paid is refunded to your payment method.`]
            : []),
        ],
      };
    case "refunded":
      return {
        subject: `Refund of ${money(event.refund.amount)} for order ${n}`,
        blocks: [
          `We have refunded ${money(event.refund.amount)} of your order ${n} to your payment method.`,
          ...(event.refund.reason ? [`Reason: ${event.refund.reason}`] : []),
        ],
      };
  }
}

/** The product, and its variant when it has one of its own ("Linen shirt (M / Blue)"). */
const itemName = (item: Order["items"][number]) =>
  item.variantTitle && item.variantTitle !== item.title ? `${item.title} (${item.variantTitle})` : item.title;

function parcelContents(order: Order, parcel: Parcel): string {
  return parcel.items
    .map((p) => {
      const item = order.items.find((i) => i.id === p.orderItemId);
      return `${p.quantity} × ${item ? itemName(item) : "an item"}`;
    })
    .join(", ");
}

/** The totals block: discounts, shipping, tax and refunds only where there are any. */
function totalsOf(order: Order): [string, number][] {
  const rows: [label: string, minor: number, shown: boolean][] = [
    ["Subtotal", order.subtotal, true],
    ["Discount", -order.discountTotal, order.discountTotal > 0],
    ["Shipping", order.shippingTotal, order.shipping !== null],
    [order.taxInclusive ? "Tax (included)" : "Tax", order.taxTotal, order.taxTotal > 0],
    ["Total", order.total, true],
    ["Refunded", -order.refundedAmount, order.refundedAmount > 0],
  ];
  return rows.filter(([, , shown]) => shown).map(([label, minor]) => [label, minor]);
}

/** A link; only http(s) targets become one (a tracking URL is checked at input too), anything else stays text. */
function anchor(href: string, label: string): string {
  if (!/^https?:\/\//i.test(href)) return escapeHtml(`${label}: ${href}`);
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}
