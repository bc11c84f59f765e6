import type { z } from "zod";
import * as admin from "../../src/modules/promotions/admin";
import type { CreatePromotionInput, Promotion } from "../../src/modules/promotions/schemas";
import type { TestApp } from "../harness";

/**
 * A promotion made through the promotions service by the test's system actor: by default an
 * automatic, non-stackable 10% off the order; `overrides` set any field.
 */
export function makePromotion(
  t: TestApp,
  overrides: Partial<z.input<typeof CreatePromotionInput>> = {},
): Promise<Promotion> {
  // Another kind brings its own fields: the 10 percent is the default kind's.
  const kind = overrides.kind ?? "percentage";
  return admin.createPromotion(t.ctx({ kind: "system", name: "test-factory" }), {
    name: "Test promotion",
    ...(kind === "percentage" && { percent: 10 }),
    ...overrides,
    kind,
  });
}
