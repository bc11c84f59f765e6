// The small pieces every order email is written with: amounts for people, and text made safe for HTML.

const formats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in minor units as people read it in its currency: `4319` USD is `$43.19`, `4319` JPY `¥4,319`.
 * The currency's own number of decimals (Intl knows them) says where the point goes.
 */
export function formatMoney(minor: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    formats.set(currency, format);
  }
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML that shows it and nothing else, in an element or a quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
