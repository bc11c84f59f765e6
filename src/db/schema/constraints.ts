import { addressesConstraints } from "./addresses";
import { apiKeysConstraints } from "./api-keys";
import { cartsConstraints } from "./carts";
import { catalogConstraints } from "./catalog";
import type { ConstraintFields } from "./constraint-fields";
import { identityConstraints } from "./identity";
import { ordersConstraints } from "./orders";
import { promotionsConstraints } from "./promotions";
import { searchConstraints } from "./search";
import { shippingConstraints } from "./shipping";

/** Every table's constraint map; a new schema file adds its own here (constraints.test.ts fails until it does). */
export const CONSTRAINT_MAPS: readonly ConstraintFields[] = [
  ...identityConstraints,
  ...addressesConstraints,
  ...apiKeysConstraints,
  ...catalogConstraints,
  ...cartsConstraints,
  ...searchConstraints,
  ...promotionsConstraints,
  ...shippingConstraints,
  ...ordersConstraints,
];

const fieldByName = new Map(CONSTRAINT_MAPS.flatMap(({ fields }) => Object.entries(fields)));

/** The field a unique or foreign-key constraint guards, by the constraint's name. */
export function constraintField(name: string | undefined): string | undefined {
  return name === undefined ? undefined : fieldByName.get(name);
}
