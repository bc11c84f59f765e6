import { defineModule } from "../../lib/module";
import * as op from "./operations";

/** Coupon codes and automatic promotions: their management, conditions, stacking and redemptions. */
export default defineModule({
  name: "promotions",
  tags: [
    {
      name: "Admin: promotions",
      description: "Coupon codes and automatic promotions (staff, admin or API key with promotions:write)",
    },
  ],
  operations: {
    admin: {
      promotions: {
        list: op.listPromotions,
        get: op.getPromotion,
        create: op.createPromotion,
        update: op.updatePromotion,
        delete: op.deletePromotion,
      },
    },
  },
});
