import { z } from "@hono/zod-openapi";
import { PROMOTION_KINDS, PROMOTION_TARGETS } from "../../db/schema";
import { IdParam } from "../../lib/id-param";
import { PageQuery, page } from "../../lib/pagination";
import { Line, Prose, Text } from "../../lib/text";
import { Price } from "../catalog/schemas";
import { ruleIssues } from "./rules";

const INT_MAX = 2_147_483_647;

/** A coupon code as merchants write it; shoppers may type it in any case. */
export const CouponCode = Text.regex(/^[A-Za-z0-9_-]{3,40}$/, "3 to 40 characters: letters, digits, - and _").openapi({
  description: "Matched in any case; stored as given",
  example: "SAVE10",
  maxLength: 40,
});

export const PromotionKind = z.enum(PROMOTION_KINDS).openapi("PromotionKind", {
  description:
    "percentage: `percent` off each targeted line; fixed: `amount` off once, spread over the targeted lines; " +
    "free_shipping: shipping costs nothing; buy_x_get_y: for every `buyQuantity` targeted units, `getQuantity` more get `percent` off (default 100, free), cheapest first",
});

const Ids = z.array(z.uuid()).max(500);
const Money = Price.min(1);
const Count = z.number().int().min(1).max(INT_MAX);
const Instant = z.iso.datetime({ offset: true });

/** Every field a merchant sets, each as it is stored (null: none). */
const Fields = {
  name: Line.min(1).max(200).openapi({ example: "10% off everything" }),
  description: Prose.max(2000).nullable(),
  code: CouponCode.nullable().openapi({ description: "Null: an automatic promotion. Unique in any case" }),
  kind: PromotionKind,
  percent: z.number().int().min(1).max(100).nullable().openapi({ description: "percentage, buy_x_get_y (1..100)" }),
  amount: Money.nullable().openapi({ description: "fixed: minor units off, > 0" }),
  buyQuantity: z.number().int().min(1).max(99).nullable().openapi({ description: "buy_x_get_y (1..99)" }),
  getQuantity: z.number().int().min(1).max(99).nullable().openapi({ description: "buy_x_get_y (1..99)" }),
  maxApplications: Count.nullable().openapi({ description: "buy_x_get_y: at most this many times per cart" }),
  target: z.enum(PROMOTION_TARGETS).openapi({
    description: "order: every line; items: lines matching any of the id lists (free_shipping: order only)",
  }),
  productIds: Ids,
  variantIds: Ids,
  categoryIds: Ids.openapi({ description: "A category includes its descendants" }),
  collectionIds: Ids,
  startsAt: Instant.nullable(),
  endsAt: Instant.nullable().openapi({ description: "Exclusive; after startsAt" }),
  minSubtotal: Money.nullable().openapi({ description: "Minor units the cart's subtotal must reach" }),
  firstOrderOnly: z.boolean().openapi({ description: "Only for signed-in customers with no order placed yet" }),
  customersOnly: z.boolean().openapi({ description: "Only for signed-in customers" }),
  customerIds: Ids.max(1000).openapi({ description: "Only for these customers (non-empty: signed in)" }),
  usageLimit: Count.nullable().openapi({ description: "Redemptions at checkout, in total" }),
  usageLimitPerCustomer: Count.nullable().openapi({
    description: "Redemptions per customer (set: signed-in customers only, as guests cannot be counted)",
  }),
  stackable: z.boolean().openapi({
    description: "Stackable promotions apply beside others; at most one non-stackable one applies to a cart",
  }),
  priority: z.number().int().min(-1_000_000).max(1_000_000).openapi({
    description: "Among non-stackable automatic promotions the highest wins; also the order of application",
  }),
  enabled: z.boolean().openapi({ description: "A disabled promotion applies nowhere, as if it did not exist" }),
};

type Checked = Parameters<typeof ruleIssues>[0];
const reportRuleIssues = (p: Checked, ctx: z.RefinementCtx) => {
  for (const issue of ruleIssues(p)) ctx.addIssue({ code: "custom", ...issue, input: p });
};

export const Promotion = z
  .object({
    id: z.uuid(),
    ...Fields,
    name: z.string(),
    description: z.string().nullable(),
    code: z.string().nullable(),
    startsAt: z.iso.datetime().nullable(),
    endsAt: z.iso.datetime().nullable(),
    usageCount: z.number().int().openapi({ description: "Redemptions at checkout so far" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Promotion");
export type Promotion = z.infer<typeof Promotion>;

export const PromotionPage = page(Promotion).openapi("PromotionPage");
export type PromotionPage = z.infer<typeof PromotionPage>;

/** `true` or `false` in a query string (REST), a boolean over tRPC. */
const fromFlag = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);

export const ListPromotionsInput = PageQuery.extend({
  code: CouponCode.optional().openapi({ description: "Exactly this code, in any case" }),
  active: z
    .preprocess<unknown, z.ZodBoolean, boolean>(fromFlag, z.boolean())
    .optional()
    .openapi({ description: "true: enabled and within its dates now; false: the others" }),
  kind: PromotionKind.optional(),
});

export const PromotionIdInput = IdParam;

export const CreatePromotionInput = z
  .strictObject(Fields)
  .partial()
  .required({ name: true, kind: true })
  .superRefine(reportRuleIssues)
  .openapi("CreatePromotionInput", {
    description: "Fields left out take their defaults: null, empty lists, false, target order, priority 0, enabled",
  });

const Change = z.strictObject(Fields).partial();
const changesSomething = [
  (p: Record<string, unknown>) => Object.entries(p).some(([k, v]) => k !== "id" && v !== undefined),
  { message: "Give at least one field to change" },
] as const;

/** The PATCH body: any fields; the whole promotion must hold together afterwards (the service checks it). */
export const UpdatePromotionBody = Change.refine(...changesSomething).openapi("UpdatePromotionInput", {
  description: "Changing kind: send null for the fields the new kind does not use",
});

export const UpdatePromotionInput = Change.extend(PromotionIdInput.shape).refine(...changesSomething);
