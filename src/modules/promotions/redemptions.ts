import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { promotionRedemptions, promotions } from "../../db/schema";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { couponRefused } from "./refusals";

/**
 * Records one use of a promotion by an order, inside the caller's transaction (checkout's). Throws
 * COUPON_INVALID usage_limit_reached when its total or this customer's limit is used up, and
 * not_found when it is gone.
 *
 * The conditional UPDATE is the total's guard: it takes the promotion's row lock, and a racer
 * waiting on that lock re-checks `usage_count < usage_limit` against the committed count, so two
 * checkouts cannot both take the last use. The same lock is held until commit, so the
 * per-customer count read after it sees every earlier redemption of this promotion.
 */
export async function redeemInTx(
  tx: TxCtx,
  input: { promotionId: string; userId: string | null; orderId: string | null },
): Promise<void> {
  // A savepoint: a refusal rolls back the count even if the caller goes on with its transaction.
  await inTransaction(tx, async (sp) => {
    const [taken] = await sp.db
      .update(promotions)
      .set({ usageCount: sql`${promotions.usageCount} + 1` })
      .where(
        and(
          eq(promotions.id, input.promotionId),
          or(isNull(promotions.usageLimit), lt(promotions.usageCount, promotions.usageLimit)),
        ),
      )
      .returning({ code: promotions.code, perCustomer: promotions.usageLimitPerCustomer });
    if (!taken) throw await whyNotTaken(sp, input.promotionId);
    if (taken.perCustomer !== null) {
      if (!input.userId) throw couponRefused("not_eligible", taken.code);
      const mine = await sp.db.$count(
        promotionRedemptions,
        and(eq(promotionRedemptions.promotionId, input.promotionId), eq(promotionRedemptions.userId, input.userId)),
      );
      if (mine >= taken.perCustomer) throw couponRefused("usage_limit_reached", taken.code);
    }
    await sp.db.insert(promotionRedemptions).values({ id: newId(), ...input });
  });
}

/** Undoes the redemption of a promotion by an order (cancelled, expired unpaid), once: a second call changes nothing. */
export async function releaseInTx(tx: TxCtx, input: { promotionId: string; orderId: string }): Promise<void> {
  // The DELETE locks the redemption row: of two concurrent releases only one gets it back.
  const gone = await tx.db
    .delete(promotionRedemptions)
    .where(
      and(eq(promotionRedemptions.promotionId, input.promotionId), eq(promotionRedemptions.orderId, input.orderId)),
    )
    .returning({ id: promotionRedemptions.id });
  if (gone.length === 0) return;
  await tx.db
    .update(promotions)
    .set({ usageCount: sql`${promotions.usageCount} - ${gone.length}` })
    .where(eq(promotions.id, input.promotionId));
}

async function whyNotTaken(tx: TxCtx, promotionId: string) {
  const [row] = await tx.db.select({ code: promotions.code }).from(promotions).where(eq(promotions.id, promotionId));
  return couponRefused(row ? "usage_limit_reached" : "not_found", row?.code ?? null);
}
