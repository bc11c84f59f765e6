import { defineModule } from "../../lib/module";
import * as collectionOp from "./admin-collection-operations";
import * as adminOp from "./admin-operations";
import { exportProductsOp, importProductsOp } from "./import-export-operations";
import * as inventory from "./inventory-operations";
import * as op from "./operations";
import * as storefront from "./storefront-operations";
import { lowStockAlert } from "./tasks/low-stock-alert";

/** Categories, products, variants, collections and their management. */
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
    catalog: {
      categories: { list: op.listCategories, get: op.getCategory },
      products: { list: storefront.listProductsOp, get: storefront.getProductOp },
      collections: { list: storefront.listCollectionsOp, get: storefront.getCollectionOp },
    },
    admin: {
      categories: { create: op.createCategory, update: op.updateCategory, delete: op.deleteCategory },
      products: {
        // Before get: /admin/products/export must not be read as /admin/products/{id}.
        import: importProductsOp,
        // REST only (trpc: false): a stream is no tRPC answer.
        export: exportProductsOp,
        list: adminOp.listAdminProducts,
        get: adminOp.getAdminProduct,
        create: adminOp.createProduct,
        update: adminOp.updateProduct,
        delete: adminOp.deleteProduct,
        addVariant: adminOp.createVariant,
        addOption: adminOp.addOption,
        addImage: adminOp.addImage,
        reorderImages: adminOp.reorderImages,
      },
      variants: { update: adminOp.updateVariant, delete: adminOp.deleteVariant },
      options: { update: adminOp.updateOption, delete: adminOp.deleteOption },
      images: { delete: adminOp.deleteImage },
      collections: {
        list: collectionOp.listAdminCollections,
        create: collectionOp.createCollection,
        update: collectionOp.updateCollection,
        delete: collectionOp.deleteCollection,
        setProducts: collectionOp.setCollectionProducts,
      },
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
