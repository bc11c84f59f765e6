import { and, desc, eq, sql } from "drizzle-orm";
import { emailSends, orderEvents } from "../../db/schema";
import { compiled } from "../../db/statement";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import type { Mailer } from "../../lib/mailer";
import { composeOrderEmail, type OrderEmailEvent } from "./emails/compose";
import { type OrderEmailPayload, orderEmailKey } from "./jobs";
import { readOrder } from "./order-view";
import type { Order } from "./schemas";

export interface OrderEmailEnv {
  mailer: Pick<Mailer, "send">;
  /** Where the mail's link to the order points. */
  storefrontUrl: string;
}

/**
 * Mails the order's email about one event of it, at most once (domain.md "Jobs"): the send is claimed
 * by its key in `email_sends`, committed on its own (`ctx` is outside any transaction), before the mail
 * goes. A send that fails gives the claim back and throws, so the job's retry sends it; a rerun after a
 * crash finds the claim and sends nothing: a lost mail, never a second one. Nothing when the order, or
 * the parcel or refund the mail is about, does not exist.
 */
export async function sendOrderEmail(ctx: Ctx, payload: OrderEmailPayload, env: OrderEmailEnv): Promise<void> {
  const order = await readOrder(ctx, payload.orderId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") return null;
    throw err;
  });
  const event = order && (await eventOf(ctx, order, payload));
  if (!order || !event) {
    ctx.log.warn({ payload }, "order email about something that does not exist: nothing sent");
    return;
  }
  const mail = composeOrderEmail(order, event, env.storefrontUrl);
  const key = orderEmailKey(payload);
  const claimed = await claimSend(ctx.db, { key, to: mail.to, subject: mail.subject });
  if (claimed.length === 0) return;
  let messageId: string;
  try {
    ({ messageId } = await env.mailer.send(mail));
  } catch (err) {
    await ctx.db.delete(emailSends).where(eq(emailSends.key, key));
    throw err;
  }
  await recordSent(ctx.db, { key, messageId });
}

// Every order mail runs these two: built once (db/statement.ts).
const claimSend = compiled(["key", "to", "subject"], (db, p) =>
  db
    .insert(emailSends)
    .values({ key: p.key, to: p.to, subject: p.subject })
    .onConflictDoNothing()
    .returning({ key: emailSends.key }),
);

const recordSent = compiled(["key", "messageId"], (db, p) =>
  db
    .update(emailSends)
    .set({ messageId: sql`${p.messageId}`, sentAt: sql`now()` })
    .where(eq(emailSends.key, p.key)),
);

/** What the mail tells, from the order as it is now; null when its parcel or refund is not the order's. */
async function eventOf(ctx: Ctx, order: Order, payload: OrderEmailPayload): Promise<OrderEmailEvent | null> {
  switch (payload.kind) {
    case "shipped": {
      const parcel = order.fulfillments.find((f) => f.id === payload.refId);
      return parcel ? { kind: "shipped", parcel } : null;
    }
    case "refunded": {
      const refund = order.refunds.find((r) => r.id === payload.refId);
      return refund ? { kind: "refunded", refund } : null;
    }
    case "cancelled":
      return { kind: "cancelled", reason: await cancelReason(ctx, order.id) };
    default:
      return { kind: payload.kind };
  }
}

/** Why the order was cancelled, as its cancelling event says (empty when it gave no reason). */
async function cancelReason(ctx: Ctx, orderId: string): Promise<string> {
  const [event] = await ctx.db
    .select({ reason: orderEvents.reason })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "cancelled")))
    .orderBy(desc(orderEvents.createdAt), desc(orderEvents.id))
    .limit(1);
  return event?.reason ?? "";
}
