import { defineModule } from "../../lib/module";
import * as op from "./operations";
import * as storefront from "./storefront-operations";

/** Categories, and later products, variants and inventory. */
export default defineModule({
  name: "catalog",
  tags: [
    { name: "Catalog", description: "Categories, products and variants as shoppers see them" },
    { name: "Admin: catalog", description: "Catalog management (staff, admin or API key with catalog:write)" },
  ],
  operations: {
    catalog: {
      categories: { list: op.listCategories, get: op.getCategory },
      products: { list: storefront.listProductsOp, get: storefront.getProductOp },
      collections: { list: storefront.listCollectionsOp, get: storefront.getCollectionOp },
    },
    admin: { categories: { create: op.createCategory } },
  },
});
