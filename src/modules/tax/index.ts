import { defineModule } from "../../lib/module";
import * as op from "./operations";

/** Tax rates per country and region. */
export default defineModule({
  name: "tax",
  tags: [{ name: "Admin: tax", description: "Tax rates per country and region (staff or admin)" }],
  operations: {
    admin: {
      taxRates: {
        list: op.listTaxRates,
        get: op.getTaxRate,
        create: op.createTaxRate,
        update: op.updateTaxRate,
        delete: op.deleteTaxRate,
      },
    },
  },
});
