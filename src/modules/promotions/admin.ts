import { and, eq, isNull, lte, not, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { type PromotionKind, promotionRedemptions, promotions } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError, validationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { inTransaction } from "../../lib/transaction";
import { invalidateDefinitions } from "./definitions";
import { DEFAULT_GET_PERCENT, ruleIssues } from "./rules";
import {
  CreatePromotionInput,
  ListPromotionsInput,
  type Promotion,
  PromotionIdInput,
  type PromotionPage,
  UpdatePromotionInput,
} from "./schemas";

// Staff sessions, or API keys with promotions:write, for reads too: a promotion's codes and limits are the merchant's.
const SCOPE = "promotions:write";

type PromotionRow = typeof promotions.$inferSelect;

const iso = (d: Date | null) => d?.toISOString() ?? null;
const toPromotion = (row: PromotionRow): Promotion => ({
  ...row,
  startsAt: iso(row.startsAt),
  endsAt: iso(row.endsAt),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const notFound = () => new AppError("NOT_FOUND", "Promotion not found");
const dateOf = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));

/**
 * The columns of a create or change: dates as Dates, and buy X get Y's percent when the promotion
 * ends up without one (`result`: its kind and percent once written), 100, so the units it gives are free.
 */
function toColumns<T extends { percent?: number | null; startsAt?: string | null; endsAt?: string | null }>(
  fields: T,
  result: { kind: PromotionKind; percent?: number | null },
) {
  const percent = result.kind === "buy_x_get_y" && result.percent == null ? DEFAULT_GET_PERCENT : fields.percent;
  return { ...fields, percent, startsAt: dateOf(fields.startsAt), endsAt: dateOf(fields.endsAt) };
}

/** Promotions newest first, filtered by code (any case), activity now and kind; each with its usage count. */
export async function listPromotions(ctx: Ctx, raw: z.input<typeof ListPromotionsInput>): Promise<PromotionPage> {
  requireStaff(ctx.actor, SCOPE);
  const input = ListPromotionsInput.parse(raw);
  const rows = await ctx.db
    .select({ row: promotions, id: promotions.id, pageKey: pageKey(promotions) })
    .from(promotions)
    .where(
      and(
        after(promotions, input.cursor),
        input.code === undefined ? undefined : sql`lower(${promotions.code}) = lower(${input.code})`,
        input.kind === undefined ? undefined : eq(promotions.kind, input.kind),
        input.active === undefined ? undefined : input.active ? activeNow() : not(activeNow()),
      ),
    )
    .orderBy(...newestFirst(promotions))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => toPromotion(r.row));
}

/** Enabled, started and not ended, by the database's clock. */
const activeNow = (): SQL =>
  and(
    eq(promotions.enabled, true),
    or(isNull(promotions.startsAt), lte(promotions.startsAt, sql`now()`)),
    or(isNull(promotions.endsAt), sql`${promotions.endsAt} > now()`),
  ) as SQL;

/** One promotion. */
export async function getPromotion(ctx: Ctx, raw: z.input<typeof PromotionIdInput>): Promise<Promotion> {
  requireStaff(ctx.actor, SCOPE);
  const { id } = PromotionIdInput.parse(raw);
  const [row] = await ctx.db.select().from(promotions).where(eq(promotions.id, id));
  if (!row) throw notFound();
  return toPromotion(row);
}

/** Creates a promotion; a code another promotion has, in any case, is CONFLICT naming `code`. */
export async function createPromotion(ctx: Ctx, raw: z.input<typeof CreatePromotionInput>): Promise<Promotion> {
  requireStaff(ctx.actor, SCOPE);
  const input = CreatePromotionInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .insert(promotions)
      .values({ ...toColumns(input, input), id: newId() })
      .returning();
    invalidateDefinitions(tx);
    return toPromotion(row as PromotionRow);
  });
}

/** Changes some fields; the promotion as a whole must still hold together (400 naming the field otherwise). */
export async function updatePromotion(ctx: Ctx, raw: z.input<typeof UpdatePromotionInput>): Promise<Promotion> {
  requireStaff(ctx.actor, SCOPE);
  const { id, ...change } = UpdatePromotionInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const [found] = await tx.db.select().from(promotions).where(eq(promotions.id, id)).for("update");
    if (!found) throw notFound();
    const merged = { ...found, ...change };
    const issues = ruleIssues(merged);
    if (issues.length > 0) throw validationError(issues);
    const [row] = await tx.db
      .update(promotions)
      .set({ ...toColumns(change, merged), updatedAt: sql`now()` })
      .where(eq(promotions.id, id))
      .returning();
    invalidateDefinitions(tx);
    return toPromotion(row as PromotionRow);
  });
}

/** Deletes a promotion never redeemed; one with redemptions is CONFLICT (orders point at it: disable it instead). */
export async function deletePromotion(ctx: Ctx, raw: z.input<typeof PromotionIdInput>): Promise<void> {
  requireStaff(ctx.actor, SCOPE);
  const { id } = PromotionIdInput.parse(raw);
  await inTransaction(ctx, async (tx) => {
    // Locked: a redemption committing meanwhile (it updates this row) waits, then finds it gone.
    const [found] = await tx.db
      .select({ id: promotions.id })
      .from(promotions)
      .where(eq(promotions.id, id))
      .for("update");
    if (!found) throw notFound();
    const redeemed = await tx.db.$count(promotionRedemptions, eq(promotionRedemptions.promotionId, id));
    if (redeemed > 0) {
      throw new AppError(
        "CONFLICT",
        "This promotion has been redeemed, so orders refer to it: disable it instead (enabled: false)",
        { redemptions: redeemed },
      );
    }
    await tx.db.delete(promotions).where(eq(promotions.id, id));
    invalidateDefinitions(tx);
  });
}
