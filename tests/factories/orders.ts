import { eq, inArray } from "drizzle-orm";
import { orderLines, orders, type PaymentProviderName, products, variants } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { hashToken, randomToken } from "../../src/lib/tokens";
import { inTransaction } from "../../src/lib/transaction";
import * as catalog from "../../src/modules/catalog/service";
import type { TestApp } from "../harness";

const NOWHERE = {
  name: "Test",
  line1: "1 Test Street",
  line2: null,
  city: "Testville",
  region: null,
  postalCode: "00000",
  country: "US",
  phone: null,
};

/**
 * An order row with no lines, straight into the table: for tests of another module that only
 * need an order to exist (a promotion's redemption refers to one). Orders worth reading are placed through checkout.
 */
export async function bareOrderId(t: TestApp, customerId: string | null = null): Promise<string> {
  const id = newId();
  const address = JSON.stringify(NOWHERE);
  await t.sql`insert into orders (id, customer_id, email, currency, shipping_address, billing_address, payment_provider)
    values (${id}, ${customerId}, 'bare-order@example.test', 'USD', ${address}::jsonb, ${address}::jsonb, 'manual')`;
  return id;
}

export interface PlacedLine {
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
export async function snapshotLines(t: TestApp, orderId: string, input: readonly PlacedLine[]) {
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

export interface PlacedOrder {
  id: string;
  number: string;
  total: number;
  currency: string;
  /** A guest order's token (send as `X-Order-Token`); null for a customer's order. */
  token: string | null;
  lines: { id: string; variantId: string; quantity: number; total: number }[];
}

/**
 * An order as checkout places it, until checkout exists: pending payment with its lines
 * snapshotted, its stock reserved through the catalog (as checkout does, in one transaction)
 * and its expiry set. A guest's unless `customerId`; paid through the app's provider unless `provider`.
 */
export async function placedOrder(
  t: TestApp,
  input: { lines: PlacedLine[]; customerId?: string; provider?: PaymentProviderName; email?: string },
): Promise<PlacedOrder> {
  const id = newId();
  const token = input.customerId ? null : randomToken();
  const lines = await snapshotLines(t, id, input.lines);
  const total = lines.reduce((sum, l) => sum + l.total, 0);
  const ctx = t.ctx({ kind: "system", name: "test-checkout" });
  const [row] = await inTransaction(ctx, async (tx) => {
    const placed = await tx.db
      .insert(orders)
      .values({
        id,
        customerId: input.customerId ?? null,
        email: input.email ?? "shopper@example.test",
        tokenHash: token ? hashToken(token) : null,
        currency: "USD",
        subtotal: total,
        total,
        shippingAddress: NOWHERE,
        billingAddress: NOWHERE,
        paymentProvider: input.provider ?? t.deps.payments.name,
        expiresAt: new Date(Date.now() + t.deps.store.orderPaymentTimeoutMinutes * 60_000),
      })
      .returning({ number: orders.number });
    await tx.db.insert(orderLines).values(lines);
    await catalog.reserveInTx(tx, {
      orderId: id,
      lines: input.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
    });
    return placed;
  });
  return {
    id,
    number: `CW-${row?.number}`,
    total,
    currency: "USD",
    token,
    lines: lines.map((l) => ({ id: l.id, variantId: l.variantId, quantity: l.quantity, total: l.total })),
  };
}

/** The order mails queued for the order (send-order-email jobs not yet run), each as its kind, or `kind:refId`. (The jobs view shows no payload.) */
export async function queuedOrderMails(t: TestApp, orderId: string): Promise<string[]> {
  const rows = await t.sql<{ mail: string }[]>`
    select j.payload->>'kind' || coalesce(':' || (j.payload->>'refId'), '') as mail
    from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
    where k.identifier = 'send-order-email' and j.payload->>'orderId' = ${orderId}`;
  return rows.map((r) => r.mail);
}
