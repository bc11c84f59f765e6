import { defineModule } from "../../lib/module";
import { exportProductsOp, importProductsOp } from "./import-export-operations";
import * as op from "./operations";

/** Categories, and later products, variants and inventory. */
export default defineModule({
  name: "catalog",
  tags: [
    { name: "Catalog", description: "Categories, products and variants as shoppers see them" },
    { name: "Admin: catalog", description: "Catalog management (staff, admin or API key with catalog:write)" },
  ],
  operations: {
    catalog: { categories: { list: op.listCategories, get: op.getCategory } },
    admin: {
      categories: { create: op.createCategory },
      products: {
        import: importProductsOp,
        // REST only (trpc: false): a stream is no tRPC answer.
        export: exportProductsOp,
      },
    },
  },
});
