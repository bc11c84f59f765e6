import { idempotentMutation, mutation, query, staff } from "../../lib/operation";
import * as inventory from "./inventory";
import {
  AdjustInventoryBody,
  AdjustInventoryInput,
  InventoryLedgerPage,
  InventoryLevel,
  InventoryLevelPage,
  ListInventoryInput,
  ListInventoryLedgerInput,
  SetInventoryBody,
  SetInventoryInput,
  VariantIdParam,
} from "./inventory-schemas";

const tag = "Admin: inventory";

export const listInventory = query({
  input: ListInventoryInput,
  output: InventoryLevelPage,
  access: staff("catalog:read"),
  rest: {
    method: "get",
    path: "/admin/inventory",
    status: 200,
    operationId: "listInventory",
    tag,
    summary: "Stock levels, newest variants first; only low or out of stock, or one SKU",
    responds: "One page of stock levels",
  },
  run: (ctx, input) => inventory.listInventory(ctx, input),
});

export const adjustInventory = idempotentMutation({
  input: AdjustInventoryInput,
  output: InventoryLevel,
  access: staff("inventory:write"),
  rest: {
    method: "post",
    path: "/admin/inventory/{variantId}/adjustments",
    status: 200,
    operationId: "adjustInventory",
    tag,
    summary: "Add or remove units, with a reason",
    description:
      "Applied atomically: concurrent adjustments never lose one another. Available stock never goes below zero: a removal of more than is available is a 409 OUT_OF_STOCK saying what is. Send an Idempotency-Key to retry safely.",
    responds: "The level after the adjustment",
    errors: [404, 409],
    params: VariantIdParam,
    body: AdjustInventoryBody,
  },
  run: (ctx, input) => inventory.adjustInventory(ctx, input),
});

export const setInventory = mutation({
  input: SetInventoryInput,
  output: InventoryLevel,
  access: staff("inventory:write"),
  rest: {
    method: "put",
    path: "/admin/inventory/{variantId}",
    status: 200,
    operationId: "setInventory",
    tag,
    summary: "Set the counted units on hand (a stock take) and the low-stock threshold",
    description: "The ledger records the difference. On hand cannot go below what is reserved (409 OUT_OF_STOCK).",
    responds: "The level after the count",
    errors: [404, 409],
    params: VariantIdParam,
    body: SetInventoryBody,
  },
  run: (ctx, input) => inventory.setInventory(ctx, input),
});

export const listInventoryLedger = query({
  input: ListInventoryLedgerInput,
  output: InventoryLedgerPage,
  access: staff("catalog:read"),
  rest: {
    method: "get",
    path: "/admin/inventory/{variantId}/ledger",
    status: 200,
    operationId: "listInventoryLedger",
    tag,
    summary: "A variant's stock changes, newest first",
    description: "Every change, with who made it and why: the level always equals the sum of its ledger.",
    responds: "One page of ledger entries",
    errors: [404],
    params: VariantIdParam,
    query: ListInventoryLedgerInput.omit({ variantId: true }),
  },
  run: (ctx, input) => inventory.listInventoryLedger(ctx, input),
});
