// What other modules may call (architecture.md: a module imports another's service only).

export { cardsByIds } from "./cards";
export { getCategory, listCategoryTree } from "./categories";
export { getCollection, listCollections } from "./collection-reads";
export { STORE_CURRENCY } from "./currency";
export { lowStockAlertJob, syncSearchIndexJob } from "./jobs";
export { productsChangedInTx } from "./listing";
export { productFilterSql } from "./product-filters";
export { getProduct, listProducts } from "./product-reads";
