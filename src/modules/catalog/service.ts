// What other modules may call (architecture.md: a module imports another's service only).

export { assertVariantsFit, optionErrors, retitleVariantsInTx } from "./admin-variant-rules";
export { CATALOG_PUBLIC_CACHE, PRODUCT_LISTS_TAG, productTag } from "./cache-tags";
export { cardsByIds } from "./cards";
export { CatalogRow, ImportRowsInput } from "./catalog-rows";
export { getCategory, listCategoryTree } from "./categories";
export { getCollection, listCollections } from "./collection-reads";
export { STORE_CURRENCY } from "./currency";
export { exportChunks, exportProducts } from "./export";
export { importProducts } from "./import";
export { commitInTx, releaseInTx, reserveInTx, restockInTx } from "./inventory-reservations";
export { StockMovementInput } from "./inventory-schemas";
export { lowStockAlertJob, syncSearchIndexJob } from "./jobs";
export { productsChangedInTx } from "./listing";
export { productFilterSql } from "./product-filters";
export { getProduct, listProducts } from "./product-reads";
export { OPTION_PARAM_PREFIX, productFilterFields } from "./storefront-schemas";
