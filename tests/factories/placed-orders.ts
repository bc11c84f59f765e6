import { eq, inArray } from "drizzle-orm";
import { type OrderStatus, orderLines, orders, products, variants } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { orderNumber } from "../../src/modules/orders/service";
import type { TestApp } from "../harness";

export interface PlacedLineFixture {
  variantId: string;
  quantity: number;
  /** Default: the variant's price. */
  unitPrice?: number;
  /** Units already sent (default 0). */
  fulfilled?: number;
  /** Units already refunded (default 0). */
  refunded?: number;
}

/**
 * Order lines as checkout snapshots them, from real variants (their product title, variant title,
 * SKU, options and price, or `unitPrice`), with no discount or tax: the rows to insert for `orderId`.
 */
async function snapshotLines(t: TestApp, orderId: string, input: readonly PlacedLineFixture[]) {
  const found = await t.deps.database.db
    .select({ variant: variants, productTitle: products.title })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(
      inArray(
        variants.id,
        input.map((l) => l.variantId),
      ),
    );
  return input.map((line, position) => {
    const row = found.find((f) => f.variant.id === line.variantId);
    if (!row) throw new Error(`no variant ${line.variantId}`);
    const unitPrice = line.unitPrice ?? row.variant.price;
    const subtotal = unitPrice * line.quantity;
    return {
      id: newId(),
      orderId,
      position,
      variantId: row.variant.id,
      productId: row.variant.productId,
      title: row.productTitle,
      variantTitle: row.variant.title,
      sku: row.variant.sku,
      options: row.variant.options,
      unitPrice,
      quantity: line.quantity,
      subtotal,
      discount: 0,
      tax: 0,
      total: subtotal,
      fulfilledQuantity: line.fulfilled ?? 0,
      refundedQuantity: line.refunded ?? 0,
    };
  });
}

export interface PlacedOrderFixture {
  lines: PlacedLineFixture[];
  customerId?: string | null;
  /** Default pending_payment. Any later status counts the order as paid in full. */
  status?: OrderStatus;
  email?: string;
  /** A flat shipping charge, in minor units (default none). */
  shipping?: number;
  /** For tests of lists and date filters: when it was placed. */
  createdAt?: Date;
}

export interface PlacedOrder {
  id: string;
  /** `CW-100042`. */
  number: string;
  email: string;
  total: number;
  lines: { id: string; variantId: string; quantity: number; title: string }[];
}

const ADDRESS = {
  name: "Ada Lovelace",
  line1: "12 St James's Square",
  line2: null,
  city: "London",
  region: null,
  postalCode: "SW1Y 4JH",
  country: "GB",
  phone: null,
};

const UNPAID: readonly OrderStatus[] = ["pending_payment", "cancelled"];
let made = 0;

/**
 * An order as checkout snapshots it, written straight to its tables from real variants (their product
 * title, variant title, SKU, options and current price), with no discount or tax: for tests of what comes
 * after placing (admin lists, fulfillment, emails) that need an order in a given status, with units
 * already sent or refunded, or placed on a given date, which no checkout makes. It reserves no stock and
 * writes no payment row; a status past pending_payment only sets paidAmount to the total.
 */
export async function insertOrder(t: TestApp, fixture: PlacedOrderFixture): Promise<PlacedOrder> {
  const db = t.deps.database.db;
  const id = newId();
  const lines = await snapshotLines(t, id, fixture.lines);
  const status = fixture.status ?? "pending_payment";
  const shipping = fixture.shipping ?? 0;
  const total = lines.reduce((sum, l) => sum + l.total, 0) + shipping;
  const paid = UNPAID.includes(status) ? 0 : total;
  const email = fixture.email ?? `buyer-${++made}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const createdAt = fixture.createdAt ?? new Date();
  const [order] = await db
    .insert(orders)
    .values({
      id,
      status,
      customerId: fixture.customerId ?? null,
      email,
      currency: "USD",
      subtotal: total - shipping,
      shippingTotal: shipping,
      total,
      paidAmount: paid,
      refundedAmount: status === "refunded" ? paid : 0,
      paidAt: paid > 0 ? createdAt : null,
      shippingAddress: ADDRESS,
      billingAddress: ADDRESS,
      shipping:
        shipping > 0
          ? { methodId: newId(), name: "Standard", amount: shipping, discount: 0, total: shipping, tax: 0 }
          : null,
      paymentProvider: "manual",
      createdAt,
      updatedAt: createdAt,
    })
    .returning({ number: orders.number });
  if (!order) throw new Error("insertOrder: no row");
  await db.insert(orderLines).values(lines);
  return {
    id,
    number: orderNumber(order.number),
    email,
    total,
    lines: lines.map((l) => ({ id: l.id, variantId: l.variantId, quantity: l.quantity, title: l.title })),
  };
}
