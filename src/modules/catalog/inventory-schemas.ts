import { z } from "@hono/zod-openapi";
import { INVENTORY_CHANGE_KINDS } from "../../db/schema";
import { PageQuery, page, QueryFlag } from "../../lib/pagination";
import { Line, Text } from "../../lib/text";

// Stock levels and their ledger (domain.md "Inventory"): what the admin inventory
// routes read and take, and the order lines checkout reserves.

/** Past this, a level or a change is a typing mistake, not stock (and sums stay far from int4's limit). */
export const MAX_STOCK = 1_000_000_000;

const Count = z.number().int().min(0).max(MAX_STOCK);

export const InventoryLevel = z
  .object({
    variantId: z.uuid(),
    sku: z.string(),
    productId: z.uuid(),
    productTitle: z.string(),
    variantTitle: z.string(),
    onHand: z.number().int().openapi({ description: "Units in the warehouse, reserved ones included" }),
    reserved: z.number().int().openapi({ description: "Units held by orders awaiting payment" }),
    available: z.number().int().openapi({ description: "onHand - reserved: what can still be sold" }),
    lowStockThreshold: z.number().int().openapi({
      description: "Available falling to this or below sends one low-stock alert; 0 turns alerts off",
    }),
    updatedAt: z.iso.datetime(),
  })
  .openapi("InventoryLevel");
export type InventoryLevel = z.infer<typeof InventoryLevel>;

export const InventoryLevelPage = page(InventoryLevel).openapi("InventoryLevelPage");
export type InventoryLevelPage = z.infer<typeof InventoryLevelPage>;

export const ListInventoryInput = PageQuery.extend({
  lowStock: QueryFlag.optional().openapi({
    description:
      "true: only variants at or below their low-stock threshold (available <= lowStockThreshold, threshold > 0); false: the others",
  }),
  outOfStock: QueryFlag.optional().openapi({
    description: "true: only variants with nothing available (available = 0); false: the others",
  }),
  sku: Text.min(1).max(120).optional().openapi({ description: "Exactly this SKU", example: "TEE-M-RED" }),
});

export const VariantIdParam = z.object({
  variantId: z
    .uuid()
    .openapi({ param: { name: "variantId", in: "path" }, example: "01a20160-0000-7000-8000-000000000000" }),
});

const Reason = Line.min(1)
  .max(200)
  .openapi({ description: "Why the stock changed, kept in the ledger", example: "Cycle count" });

/** The POST body; the variant comes from the path. */
export const AdjustInventoryBody = z
  .strictObject({
    delta: z
      .number()
      .int()
      .min(-MAX_STOCK)
      .max(MAX_STOCK)
      .refine((d) => d !== 0, "Must not be 0")
      .openapi({ description: "Units to add (positive) or remove (negative)", example: -2 }),
    reason: Reason,
  })
  .openapi("AdjustInventoryInput");

export const AdjustInventoryInput = AdjustInventoryBody.extend(VariantIdParam.shape);

/** The PUT body; the variant comes from the path. */
export const SetInventoryBody = z
  .strictObject({
    onHand: Count.openapi({ description: "The counted units; at least what is reserved", example: 40 }),
    lowStockThreshold: Count.optional().openapi({ description: "Left as it is when absent" }),
    reason: Reason,
  })
  .openapi("SetInventoryInput");

export const SetInventoryInput = SetInventoryBody.extend(VariantIdParam.shape);

export const ListInventoryLedgerInput = PageQuery.extend(VariantIdParam.shape);

export const InventoryLedgerEntry = z
  .object({
    id: z.uuid(),
    kind: z.enum(INVENTORY_CHANGE_KINDS).openapi({
      description:
        "initial (opening stock), adjust, set, import, reserve (checkout), release (cancel or expiry), commit (paid)",
    }),
    onHandDelta: z.number().int(),
    reservedDelta: z.number().int(),
    onHandAfter: z.number().int(),
    reservedAfter: z.number().int(),
    reason: z.string(),
    actor: z.string().openapi({ description: "`user:<id>`, `key:<id>` or `system:<name>`" }),
    orderId: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi("InventoryLedgerEntry");
export type InventoryLedgerEntry = z.infer<typeof InventoryLedgerEntry>;

export const InventoryLedgerPage = page(InventoryLedgerEntry).openapi("InventoryLedgerPage");
export type InventoryLedgerPage = z.infer<typeof InventoryLedgerPage>;

/** An order's lines as stock sees them: which variant, how many. */
export const StockLines = z
  .array(z.strictObject({ variantId: z.uuid(), quantity: z.number().int().min(1).max(MAX_STOCK) }))
  .min(1)
  .max(1000);

/** What checkout (reserve), payment (commit) and cancel or expiry (release) hand to the stock functions. */
export const StockMovementInput = z.strictObject({
  orderId: z.uuid().optional(),
  lines: StockLines,
  reason: Line.min(1).max(200).optional(),
});
export type StockMovementInput = z.input<typeof StockMovementInput>;
