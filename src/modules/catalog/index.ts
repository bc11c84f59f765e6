import { defineModule } from "../../lib/module";
import * as inventory from "./inventory-operations";
import * as op from "./operations";
import { lowStockAlert } from "./tasks/low-stock-alert";

/** Categories, and later products, variants and inventory. */
export default defineModule({
  name: "catalog",
  tags: [
    { name: "Catalog", description: "Categories, products and variants as shoppers see them" },
    { name: "Admin: catalog", description: "Catalog management (staff, admin or API key with catalog:write)" },
    {
      name: "Admin: inventory",
      description:
        "Stock levels and their ledger (staff, admin, or API key with catalog:read to read, inventory:write to change)",
    },
  ],
  operations: {
    catalog: { categories: { list: op.listCategories, get: op.getCategory } },
    admin: {
      categories: { create: op.createCategory },
      inventory: {
        list: inventory.listInventory,
        adjust: inventory.adjustInventory,
        set: inventory.setInventory,
        ledger: inventory.listInventoryLedger,
      },
    },
  },
  tasks: [lowStockAlert],
});
