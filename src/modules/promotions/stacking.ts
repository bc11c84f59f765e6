import type { PromotionDefinition } from "./definitions";

/**
 * Which eligible promotions apply together (domain.md "Promotions", "Stacking"):
 * - every eligible stackable automatic promotion applies;
 * - at most ONE non-stackable promotion applies: the code when it is non-stackable (the shopper
 *   chose it), else the highest-priority eligible non-stackable automatic one (ties: the lowest id);
 * - a stackable code applies beside all of those.
 * Pricing then applies them in its own phase order.
 */
export function selectForStacking(
  code: PromotionDefinition | null,
  automatics: readonly PromotionDefinition[],
): PromotionDefinition[] {
  const stackable = automatics.filter((d) => d.stackable);
  const exclusive =
    code && !code.stackable ? code : (automatics.filter((d) => !d.stackable).sort(byPriority)[0] ?? null);
  return [...(exclusive ? [exclusive] : []), ...stackable, ...(code?.stackable ? [code] : [])];
}

const byPriority = (a: PromotionDefinition, b: PromotionDefinition) =>
  b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
