/** The store's one currency until price lists arrive (domain.md "Catalog"); every money object says it. */
export const STORE_CURRENCY = "USD";
