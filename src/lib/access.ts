import type { Actor, Role } from "./context";
import { AppError } from "./errors";

/** API key scopes (api.md "Authentication"). */
export const SCOPES = [
  "catalog:read",
  "catalog:write",
  "inventory:write",
  "orders:read",
  "orders:write",
  "customers:read",
  "promotions:write",
  "webhooks:write",
] as const;
export type Scope = (typeof SCOPES)[number];

const RANK: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

/** A signed-in customer, staff or admin (a person, not an API key). Returns their user id. */
export function requireUser(actor: Actor): string {
  if (actor.kind === "user") return actor.userId;
  if (actor.kind === "apiKey") throw new AppError("FORBIDDEN", "API keys cannot act as a customer");
  throw new AppError("UNAUTHENTICATED", "Sign in to do this");
}

/** A guest or a person (a cart's owner): an API key holds no cart. */
export function requireShopper(actor: Actor): void {
  if (actor.kind === "apiKey")
    throw new AppError("FORBIDDEN", "API keys cannot shop: carts belong to guests and customers");
}

/**
 * Staff work: a staff or admin session, or an API key holding `scope`. Without
 * a scope, API keys are refused: the operation is for people only.
 */
export function requireStaff(actor: Actor, scope?: Scope): void {
  switch (actor.kind) {
    case "system":
      return;
    case "guest":
      throw new AppError("UNAUTHENTICATED", "Sign in as staff to do this");
    case "user":
      if (RANK[actor.role] >= RANK.staff) return;
      throw new AppError("FORBIDDEN", "Only staff may do this");
    case "apiKey":
      if (scope && actor.scopes.includes(scope)) return;
      throw scope
        ? new AppError("FORBIDDEN", `This API key lacks the scope ${scope}`, { missingScope: scope })
        : new AppError("FORBIDDEN", "API keys may not do this");
  }
}

/** Admin work: an admin session only (API keys never). */
export function requireAdmin(actor: Actor): void {
  if (actor.kind === "system" || (actor.kind === "user" && actor.role === "admin")) return;
  if (actor.kind === "guest") throw new AppError("UNAUTHENTICATED", "Sign in as an admin to do this");
  throw new AppError("FORBIDDEN", "Only admins may do this");
}
