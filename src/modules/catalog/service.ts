// What other modules may call (architecture.md: a module imports another's service only).

export { PRODUCT_LISTS_TAG } from "./cache-tags";
export { cardsByIds } from "./cards";
export { getCategory, listCategoryTree } from "./categories";
export { STORE_CURRENCY } from "./currency";
export { lowStockAlertJob, syncSearchIndexJob } from "./jobs";
export { productsChangedInTx } from "./listing";
export { productFilterSql } from "./product-filters";
