// What other modules may call (architecture.md: a module imports another's service only).

export { cardsByIds } from "./cards";
export { CatalogRow, ImportRowsInput } from "./catalog-rows";
export { getCategory, listCategoryTree } from "./categories";
export { STORE_CURRENCY } from "./currency";
export { exportChunks, exportProducts } from "./export";
export { importProducts, importRowsInTx } from "./import";
export { lowStockAlertJob, syncSearchIndexJob } from "./jobs";
export { productsChangedInTx } from "./listing";
export { productFilterSql } from "./product-filters";
