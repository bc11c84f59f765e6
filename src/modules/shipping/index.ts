import { defineModule } from "../../lib/module";
import * as op from "./operations";

/** Shipping methods: who ships where, at what rate. */
export default defineModule({
  name: "shipping",
  tags: [{ name: "Admin: shipping", description: "Shipping methods and their rates per country (staff or admin)" }],
  operations: {
    admin: {
      shippingMethods: {
        list: op.listShippingMethods,
        get: op.getShippingMethod,
        create: op.createShippingMethod,
        update: op.updateShippingMethod,
        delete: op.deleteShippingMethod,
      },
    },
  },
});
