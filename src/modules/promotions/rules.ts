import type { PromotionKind, PromotionTargetKind } from "../../db/schema";

/** The fields the cross-field rules read: a create's input with its defaults, or a stored row with a patch over it. */
export interface PromotionShape {
  kind: PromotionKind;
  percent?: number | null;
  amount?: number | null;
  buyQuantity?: number | null;
  getQuantity?: number | null;
  maxApplications?: number | null;
  target?: PromotionTargetKind;
  productIds?: readonly string[];
  variantIds?: readonly string[];
  categoryIds?: readonly string[];
  collectionIds?: readonly string[];
  startsAt?: string | Date | null;
  endsAt?: string | Date | null;
}

type KindField = "percent" | "amount" | "buyQuantity" | "getQuantity" | "maxApplications";
const KIND_FIELDS: readonly KindField[] = ["percent", "amount", "buyQuantity", "getQuantity", "maxApplications"];

/** Which of the kind's fields each kind needs and which it may have; the others must be null (the table checks it too). */
const KIND_USES: Record<PromotionKind, { required: readonly KindField[]; optional: readonly KindField[] }> = {
  percentage: { required: ["percent"], optional: [] },
  fixed: { required: ["amount"], optional: [] },
  free_shipping: { required: [], optional: [] },
  // percent: what the "get" units take off, 100 (free) when left out.
  buy_x_get_y: { required: ["buyQuantity", "getQuantity"], optional: ["percent", "maxApplications"] },
};

/** What buy X get Y takes off the units it gives when no percent is set: they are free. */
export const DEFAULT_GET_PERCENT = 100;

const ID_LISTS = ["productIds", "variantIds", "categoryIds", "collectionIds"] as const;

export interface RuleIssue {
  path: string[];
  message: string;
}

/** The rules no single field can check, each naming the field at fault; empty when the promotion holds together. */
export function ruleIssues(p: PromotionShape): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const uses = KIND_USES[p.kind];
  for (const field of KIND_FIELDS) {
    const set = p[field] !== undefined && p[field] !== null;
    if (!set && uses.required.includes(field)) {
      issues.push({ path: [field], message: `Required for kind ${p.kind}` });
    } else if (set && !uses.required.includes(field) && !uses.optional.includes(field)) {
      issues.push({ path: [field], message: `Not used by kind ${p.kind}: leave it out or send null` });
    }
  }
  const target = p.target ?? "order";
  const withIds = ID_LISTS.filter((list) => (p[list]?.length ?? 0) > 0);
  if (target === "items" && withIds.length === 0) {
    issues.push({ path: ["target"], message: `An items target needs at least one id in ${ID_LISTS.join(", ")}` });
  }
  if (target === "order") {
    for (const list of withIds) issues.push({ path: [list], message: "Only for target items" });
  }
  if (p.kind === "free_shipping" && target !== "order") {
    issues.push({ path: ["target"], message: "Free shipping targets the order" });
  }
  if (p.startsAt && p.endsAt && new Date(p.endsAt).getTime() <= new Date(p.startsAt).getTime()) {
    issues.push({ path: ["endsAt"], message: "Must be after startsAt" });
  }
  return issues;
}
