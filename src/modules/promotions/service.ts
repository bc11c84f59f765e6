import type { Ctx } from "../../lib/context";
import type { PricingPromotion } from "../pricing/service";
import { findByCode, loadDefinitions, type PromotionDefinition, toPricingPromotion } from "./definitions";
import { type CouponRefusal, needsUsage, type PromotionFacts, refusalOf } from "./eligibility";
import { couponRefused } from "./refusals";
import { selectForStacking } from "./stacking";
import { readUsage } from "./usage";

// Promotions (domain.md "Promotions"): this module judges conditions and stacking; pricing does the math.
// Stacking is documented on selectForStacking (./stacking.ts).

export type { CouponRefusal, PromotionFacts } from "./eligibility";
export { redeemInTx, releaseInTx } from "./redemptions";
export { couponRefused } from "./refusals";

export interface CartPromotions {
  /** Selected for stacking, for the pricing function. */
  applied: PricingPromotion[];
  /** The entered code's fate: its stored spelling and promotion when found, and why it does not apply (null: it does). */
  code: { code: string; promotionId: string | null; refusal: CouponRefusal | null } | null;
}

/**
 * What applies to a cart: the code's promotion (if it passes) plus the automatic ones, selected for
 * stacking. Called on every cart read: definitions come from the cache, and usage is read live in
 * one query, only for promotions with a limit.
 */
export async function promotionsForCart(
  ctx: Ctx,
  input: { code: string | null; facts: PromotionFacts },
): Promise<CartPromotions> {
  const defs = await loadDefinitions(ctx);
  const entered = input.code === null ? undefined : findByCode(defs, input.code);
  const automatics = defs.filter((d) => d.code === null);
  const judged = await refusals(ctx, entered ? [entered, ...automatics] : automatics, input.facts);
  const codeRefusal = entered ? (judged.get(entered.id) ?? null) : "not_found";
  const applied = selectForStacking(
    entered && codeRefusal === null ? entered : null,
    automatics.filter((d) => judged.get(d.id) === null),
  );
  return {
    applied: applied.map(toPricingPromotion),
    code:
      input.code === null
        ? null
        : { code: entered?.code ?? input.code, promotionId: entered?.id ?? null, refusal: codeRefusal },
  };
}

/** For applying a code: throws COUPON_INVALID (details `reason`, `couponCode`) unless it applies now; answers its stored spelling. */
export async function assertCodeApplies(
  ctx: Ctx,
  input: { code: string; facts: PromotionFacts },
): Promise<{ promotionId: string; code: string }> {
  const entered = findByCode(await loadDefinitions(ctx), input.code);
  if (!entered?.code) throw couponRefused("not_found", input.code);
  const refusal = (await refusals(ctx, [entered], input.facts)).get(entered.id) ?? null;
  if (refusal) throw couponRefused(refusal, entered.code);
  return { promotionId: entered.id, code: entered.code };
}

/** Each definition's refusal (null: it applies), reading the usage of those that need it in one query. */
async function refusals(
  ctx: Ctx,
  defs: readonly PromotionDefinition[],
  facts: PromotionFacts,
): Promise<Map<string, CouponRefusal | null>> {
  const counted = defs.filter((d) => needsUsage(d, facts)).map((d) => d.id);
  const usage = await readUsage(ctx, counted, facts.customer?.userId ?? null);
  return new Map(defs.map((d) => [d.id, refusalOf(d, facts, usage.get(d.id))]));
}
