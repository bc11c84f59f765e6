import { and, eq, sql } from "drizzle-orm";
import { carts } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import type { PricedLine, PricingInput, PricingLine, PricingResult } from "../pricing/service";
import * as pricing from "../pricing/service";
import type { PromotionFacts } from "../promotions/service";
import * as promotions from "../promotions/service";
import type { ShippingMethodOption } from "../shipping/service";
import * as shipping from "../shipping/service";
import * as tax from "../tax/service";
import { type CartRows, cartChanged, type LineRow } from "./cart-rows";
import type { Cart, CartItem, CartItemStatus, CartNotice } from "./schemas";

/** A line and what can be bought of it now. */
interface Classified {
  row: LineRow;
  status: CartItemStatus;
  available: number;
}

function classify(row: LineRow): Classified {
  if (row.variantId === null || row.price === null) return { row, status: "deleted", available: 0 };
  if (row.productStatus !== "active") return { row, status: "unavailable", available: 0 };
  const available = row.available ?? 0;
  return { row, status: row.quantity > available ? "insufficient_stock" : "ok", available };
}

/** Lines a shopper could buy are priced; unavailable and deleted ones are shown, flagged, and left out. */
const buyable = (line: Classified) => line.status === "ok" || line.status === "insufficient_stock";

const toPricingLine = ({ row }: Classified): PricingLine => ({
  id: row.id,
  productId: row.productId as string,
  variantId: row.variantId as string,
  categoryIds: row.categoryPath ?? [],
  collectionIds: row.collectionIds ?? [],
  unitPrice: row.price as number,
  quantity: row.quantity,
  weightGrams: row.weightGrams ?? 0,
});

/** What a cart is priced from, fetched once: its lines, the promotions that apply today, shipping and tax. */
export interface CartQuote {
  lines: Classified[];
  input: Omit<PricingInput, "shippingMethod">;
  /** The methods serving the destination, in display order. */
  methods: ShippingMethodOption[];
  /** The applied code's refusal, when it no longer applies. */
  refusedCode: { code: string; reason: string } | null;
  promotionNames: Map<string, string>;
}

/**
 * Gathers what pricing needs as it is now: today's prices and stock, the promotions that
 * apply today (the code re-checked), the destination's shipping methods and tax.
 */
export async function quoteCart(ctx: Ctx, cart: CartRows): Promise<CartQuote> {
  const lines = cart.lines.map(classify);
  const pricingLines = lines.filter(buyable).map(toPricingLine);
  const destination = cart.country ? { country: cart.country, region: cart.region } : null;
  const [applicable, methods, rate] = await Promise.all([
    promotions.promotionsForCart(ctx, { code: cart.couponCode, facts: cartFacts(cart, pricingLines) }),
    destination ? shipping.methodsFor(ctx, destination) : Promise.resolve([]),
    destination ? tax.taxFor(ctx, destination) : Promise.resolve(null),
  ]);
  const refusal = applicable.code?.refusal;
  return {
    lines,
    input: { lines: pricingLines, promotions: applicable.applied, tax: rate },
    methods,
    refusedCode: refusal && applicable.code ? { code: applicable.code.code, reason: refusal } : null,
    promotionNames: new Map(applicable.applied.map((p) => [p.id, p.name])),
  };
}

/** The facts promotions are checked against: the buyable lines, their subtotal, who is shopping. */
export function cartFacts(
  cart: CartRows,
  lines: PricingLine[] = cart.lines.map(classify).filter(buyable).map(toPricingLine),
): PromotionFacts {
  return {
    now: new Date(),
    lines,
    subtotal: lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0),
    customer: cart.customerId ? { userId: cart.customerId, ordersPlaced: cart.ordersPlaced } : null,
  };
}

/** The quote priced with one shipping method (or none). */
export function priceQuote(quote: CartQuote, method: ShippingMethodOption | null): PricingResult {
  // Nothing to ship costs no shipping: a rate would still charge its flat amount for an empty cart.
  const ships = method && quote.input.lines.length > 0;
  return pricing.price({
    ...quote.input,
    shippingMethod: ships ? { id: method.id, name: method.name, rate: method.rate } : null,
  });
}

/**
 * The cart as the shopper sees it. A code or shipping method that no longer
 * applies is taken off the cart here, and the response says so (domain.md
 * "Cart and pricing"): a shopper is never charged for what a read showed gone.
 */
export async function cartView(ctx: Ctx, cart: CartRows, extra: CartNotice[] = []): Promise<Cart> {
  const quote = await quoteCart(ctx, cart);
  const method = quote.methods.find((m) => m.id === cart.shippingMethodId) ?? null;
  const priced = priceQuote(quote, method);
  const notices: CartNotice[] = [...extra];
  const refused = quote.refusedCode;
  if (refused) {
    await ctx.db
      .update(carts)
      .set({ couponCode: null })
      .where(and(eq(carts.id, cart.id), eq(carts.couponCode, refused.code)));
    notices.push({
      kind: "promotion_removed",
      code: refused.code,
      reason: refused.reason,
      message: `The code ${refused.code} no longer applies (${refused.reason}) and was removed`,
    });
  }
  if (cart.shippingMethodId && !method) {
    await ctx.db
      .update(carts)
      .set({ shippingMethodId: null })
      .where(and(eq(carts.id, cart.id), sql`${carts.shippingMethodId} = ${cart.shippingMethodId}`));
    notices.push({
      kind: "shipping_method_unavailable",
      message: "The chosen shipping method no longer serves this destination: choose another",
    });
  }
  // After the writes: outside a transaction this runs at once, and a read in between would keep the old rows.
  if (refused || (cart.shippingMethodId && !method)) await cartChanged(ctx, cart.id);
  const pricedById = new Map(priced.lines.map((l) => [l.id, l]));
  const items = quote.lines.map((line) => toItem(line, pricedById.get(line.row.id)));
  for (const item of items) notices.push(...itemNotices(item));
  return {
    id: cart.id,
    owner: cart.customerId ? "customer" : "guest",
    currency: cart.currency,
    items,
    itemCount: items.reduce((n, i) => n + i.quantity, 0),
    couponCode: refused ? null : cart.couponCode,
    promotions: priced.promotions
      .filter((x) => x.amount > 0)
      .map((x) => ({
        id: x.promotionId,
        name: quote.promotionNames.get(x.promotionId) ?? "",
        code: x.code,
        amount: x.amount,
      })),
    country: cart.country,
    region: cart.region,
    postalCode: cart.postalCode,
    shipping: priced.shipping && method ? { ...priced.shipping, name: method.name } : null,
    totals: pricing.totalsOf(priced),
    notices,
    expiresAt: cart.customerId ? null : cart.expiresAt,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
}

const ZERO: Omit<PricedLine, "id"> = { subtotal: 0, discount: 0, total: 0, tax: 0, adjustments: [] };

function toItem({ row, status, available }: Classified, priced: PricedLine | undefined): CartItem {
  const unitPrice = row.price ?? row.addedUnitPrice;
  const { id: _, ...amounts } = priced ?? { id: row.id, ...ZERO };
  return {
    id: row.id,
    variantId: row.variantId,
    productId: row.productId,
    productSlug: row.productSlug,
    title: row.title,
    variantTitle: row.variantTitle,
    sku: row.sku,
    options: row.options ?? {},
    imageUrl: row.imageUrl,
    quantity: row.quantity,
    unitPrice,
    addedUnitPrice: row.addedUnitPrice,
    priceChanged: status !== "deleted" && unitPrice !== row.addedUnitPrice,
    available,
    status,
    ...amounts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function itemNotices(item: CartItem): CartNotice[] {
  const notices: CartNotice[] = [];
  if (item.priceChanged) {
    notices.push({
      kind: "price_changed",
      itemId: item.id,
      message: `${item.title} (${item.variantTitle}) now costs ${item.unitPrice}, was ${item.addedUnitPrice}`,
    });
  }
  if (item.status === "insufficient_stock") {
    notices.push({
      kind: "insufficient_stock",
      itemId: item.id,
      message: `Only ${item.available} of ${item.title} (${item.variantTitle}) can be bought now`,
    });
  }
  if (item.status === "unavailable" || item.status === "deleted") {
    notices.push({
      kind: "item_unavailable",
      itemId: item.id,
      message: `${item.title} (${item.variantTitle}) is no longer for sale: remove it to check out`,
    });
  }
  return notices;
}
