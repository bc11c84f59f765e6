import { mutation, query, staff } from "../../lib/operation";
import * as admin from "./admin";
import {
  CreatePromotionInput,
  ListPromotionsInput,
  Promotion,
  PromotionIdInput,
  PromotionPage,
  UpdatePromotionBody,
  UpdatePromotionInput,
} from "./schemas";

const tag = "Admin: promotions";
const access = staff("promotions:write");

export const listPromotions = query({
  input: ListPromotionsInput,
  output: PromotionPage,
  access,
  rest: {
    method: "get",
    path: "/admin/promotions",
    status: 200,
    operationId: "listPromotions",
    tag,
    summary: "Promotions, newest first, with their usage counts",
    responds: "One page of promotions",
  },
  run: (ctx, input) => admin.listPromotions(ctx, input),
});

export const createPromotion = mutation({
  input: CreatePromotionInput,
  output: Promotion,
  access,
  rest: {
    method: "post",
    path: "/admin/promotions",
    status: 201,
    operationId: "createPromotion",
    tag,
    summary: "Create a coupon code or an automatic promotion",
    description: "A code another promotion has, in any case, is a 409.",
    responds: "The new promotion",
    errors: [409],
  },
  run: (ctx, input) => admin.createPromotion(ctx, input),
});

export const getPromotion = query({
  input: PromotionIdInput,
  output: Promotion,
  access,
  rest: {
    method: "get",
    path: "/admin/promotions/{id}",
    status: 200,
    operationId: "getPromotion",
    tag,
    summary: "One promotion, with its usage count",
    responds: "The promotion",
    errors: [404],
    params: PromotionIdInput,
  },
  run: (ctx, input) => admin.getPromotion(ctx, input),
});

export const updatePromotion = mutation({
  input: UpdatePromotionInput,
  output: Promotion,
  access,
  rest: {
    method: "patch",
    path: "/admin/promotions/{id}",
    status: 200,
    operationId: "updatePromotion",
    tag,
    summary: "Change a promotion, or disable it (enabled: false)",
    responds: "The promotion",
    errors: [404, 409],
    params: PromotionIdInput,
    body: UpdatePromotionBody,
  },
  run: (ctx, input) => admin.updatePromotion(ctx, input),
});

export const deletePromotion = mutation({
  input: PromotionIdInput,
  output: undefined,
  access,
  rest: {
    method: "delete",
    path: "/admin/promotions/{id}",
    status: 204,
    operationId: "deletePromotion",
    tag,
    summary: "Delete a promotion that was never redeemed",
    description: "One with redemptions is a 409: disable it instead.",
    responds: "Deleted",
    errors: [404, 409],
    params: PromotionIdInput,
  },
  run: (ctx, input) => admin.deletePromotion(ctx, input),
});
