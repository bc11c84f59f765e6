import { anyone, query } from "../../lib/operation";
import { CATALOG_PUBLIC_CACHE } from "./cache-tags";
import { getCollection, listCollections } from "./collection-reads";
import { getProduct, listProducts } from "./product-reads";
import { Collection } from "./schemas";
import {
  CollectionPage,
  GetCollectionInput,
  GetProductInput,
  ListCollectionsInput,
  ListProductsInput,
  ListProductsQuery,
  ProductPage,
  StorefrontProduct,
} from "./storefront-schemas";

// The shopper's catalog reads (issue 14, item 2): public, cached, on both transports.

export const listProductsOp = query({
  input: ListProductsInput,
  output: ProductPage,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/products",
    status: 200,
    operationId: "listProducts",
    tag: "Catalog",
    summary: "Active products as cards, filtered and sorted",
    description:
      "Keyset pages (`limit`, `cursor`). Filters combine: `categoryId` (with its descendants), `collectionId`, `tag`, `q`, `minPrice`/`maxPrice` (inclusive, on any variant's price), `inStock`, and `option.<name>=<value>` per option (any case, e.g. `option.size=M`). Sorts: `newest` (default), `price_asc`, `price_desc`, `title`. A cursor continues only the list it came from (same filters and sort).",
    responds: "One page of product cards",
    query: ListProductsQuery,
  },
  run: (ctx, input) => listProducts(ctx, input),
});

export const getProductOp = query({
  input: GetProductInput,
  output: StorefrontProduct,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/products/{idOrSlug}",
    status: 200,
    operationId: "getProduct",
    tag: "Catalog",
    summary: "One active product by id or slug",
    description:
      "Drafts and archived products are 404. Each variant says how many are `available` (on hand minus reserved); the breadcrumb runs from the root category down to the product's own.",
    responds: "The product with its options, variants and their availability, images and breadcrumb",
    errors: [404],
    params: GetProductInput,
  },
  run: (ctx, input) => getProduct(ctx, input),
});

export const listCollectionsOp = query({
  input: ListCollectionsInput,
  output: CollectionPage,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/collections",
    status: 200,
    operationId: "listCollections",
    tag: "Catalog",
    summary: "Collections in the merchant's order",
    description: "Ordered by position, then title; keyset pages (`limit`, `cursor`).",
    responds: "One page of collections",
  },
  run: (ctx, input) => listCollections(ctx, input),
});

export const getCollectionOp = query({
  input: GetCollectionInput,
  output: Collection,
  access: anyone,
  publicCache: CATALOG_PUBLIC_CACHE,
  rest: {
    method: "get",
    path: "/collections/{idOrSlug}",
    status: 200,
    operationId: "getCollection",
    tag: "Catalog",
    summary: "One collection by id or slug",
    description: "Its products: `GET /products?collectionId=`.",
    responds: "The collection",
    errors: [404],
    params: GetCollectionInput,
  },
  run: (ctx, input) => getCollection(ctx, input),
});
