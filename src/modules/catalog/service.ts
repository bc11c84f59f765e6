// What other modules may call (architecture.md: a module imports another's service only).
export { getCategory, listCategoryTree } from "./categories";
export { lowStockAlertJob, syncSearchIndexJob } from "./jobs";
export { productsChangedInTx } from "./listing";
export { productFilterSql } from "./product-filters";
