import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import { idempotencyKeys, products, users, variants } from "../../db/schema";
import { enqueue } from "../../jobs/enqueue";
import type { Ctx } from "../../lib/context";
import type { Mail, Mailer } from "../../lib/mailer";
import type { TxCtx } from "../../lib/transaction";
import { lowStockAlertJob } from "./jobs";

export interface Crossing {
  ledgerEntryId: string;
  variantId: string;
  availableBefore: number;
  availableAfter: number;
  threshold: number;
}

/**
 * Available fell from above the threshold to at or below it (domain.md
 * "Inventory"): one alert per crossing, so a further sale below the threshold
 * says nothing and a restock above it arms the next one. A threshold of 0 means
 * no alerts: selling out is what out-of-stock lists are for.
 */
const crossed = (c: Crossing) => c.threshold > 0 && c.availableBefore > c.threshold && c.availableAfter <= c.threshold;

/** Enqueues the low-stock alert of each change that crossed its threshold, in the change's transaction. */
export async function alertOnCrossingsInTx(tx: TxCtx, changes: readonly Crossing[]): Promise<void> {
  for (const c of changes.filter(crossed)) {
    await enqueue(tx, lowStockAlertJob, {
      variantId: c.variantId,
      ledgerEntryId: c.ledgerEntryId,
      available: c.availableAfter,
      threshold: c.threshold,
    });
  }
}

// Which staff member has had the mail of which crossing: a job retried after
// some mails went out sends only the rest. Kept beside Idempotency-Key records
// (the same "this effect happened once" table, purged after expiry), for longer
// than Graphile Worker keeps retrying a job.
const SENT_SCOPE = "job:low-stock-alert";
const SENT_KEPT_DAYS = 30;

/**
 * Mails every active staff and admin account about the variant of one crossing,
 * at most once each (a mail that fails is released, and the job's retry sends it).
 * Nothing when the variant is gone.
 */
export async function sendLowStockAlert(
  ctx: Ctx,
  alert: z.output<typeof lowStockAlertJob.payload>,
  mailer: Pick<Mailer, "send">,
): Promise<void> {
  const [variant] = await ctx.db
    .select({ sku: variants.sku, title: variants.title, productTitle: products.title })
    .from(variants)
    .innerJoin(products, eq(products.id, variants.productId))
    .where(eq(variants.id, alert.variantId));
  if (!variant) return;
  const staff = await ctx.db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(inArray(users.role, ["staff", "admin"]), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt), asc(users.id));
  for (const person of staff) {
    const marker = { scope: SENT_SCOPE, key: `${alert.ledgerEntryId}:${person.id}` };
    const claimed = await ctx.db
      .insert(idempotencyKeys)
      .values({
        ...marker,
        requestHash: alert.ledgerEntryId,
        expiresAt: sql`now() + make_interval(days => ${SENT_KEPT_DAYS})`,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) continue;
    try {
      await mailer.send(alertMail(person, variant, alert));
    } catch (err) {
      await ctx.db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, marker.scope), eq(idempotencyKeys.key, marker.key)));
      throw err;
    }
  }
}

function alertMail(
  to: { email: string; name: string },
  variant: { sku: string; title: string; productTitle: string },
  alert: { available: number; threshold: number },
): Mail {
  const what =
    variant.title === variant.productTitle ? variant.productTitle : `${variant.productTitle} (${variant.title})`;
  return {
    to: to.email,
    subject: `Low stock: ${variant.sku} has ${alert.available} left`,
    text: `Hello ${to.name},\n\n${what}, SKU ${variant.sku}, is down to ${alert.available} available, at or below its low-stock threshold of ${alert.threshold}.\n\nRestock it, or change its threshold, in the admin's inventory.\n`,
  };
}
