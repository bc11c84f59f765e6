import { IdParam } from "../../lib/id-param";
import { idempotentMutation, mutation, query, staff } from "../../lib/operation";
import * as images from "./admin-images";
import * as options from "./admin-options";
import * as adminProducts from "./admin-products";
import {
  AddImageBody,
  AddImageInput,
  AddOptionBody,
  AddOptionInput,
  AdminProduct,
  AdminProductPage,
  AdminVariant,
  CreateProductInput,
  CreateVariantInput,
  ListAdminProductsInput,
  NewVariant,
  ProductIdInput,
  ProductImages,
  ReorderImagesBody,
  ReorderImagesInput,
  UpdateOptionBody,
  UpdateOptionInput,
  UpdateProductBody,
  UpdateProductInput,
  UpdateVariantBody,
  UpdateVariantInput,
} from "./admin-schemas";
import * as variants from "./admin-variants";
import { ProductImage } from "./schemas";

// Products, their variants, options and images, for staff and API keys (catalog:read to read, catalog:write to write).

const tag = "Admin: catalog";
const read = staff("catalog:read");
const write = staff("catalog:write");

export const listAdminProducts = query({
  input: ListAdminProductsInput,
  output: AdminProductPage,
  access: read,
  rest: {
    method: "get",
    path: "/admin/products",
    status: 200,
    operationId: "listAdminProducts",
    tag,
    summary: "Products of every status, newest first; by status, SKU or title",
    responds: "One page of products with price range and stock totals",
  },
  run: (ctx, input) => adminProducts.listAdminProducts(ctx, input),
});

export const getAdminProduct = query({
  input: ProductIdInput,
  output: AdminProduct,
  access: read,
  rest: {
    method: "get",
    path: "/admin/products/{id}",
    status: 200,
    operationId: "getAdminProduct",
    tag,
    summary: "One product of any status, with variants, stock, options, images and collections",
    responds: "The product",
    errors: [404],
    params: ProductIdInput,
  },
  run: (ctx, input) => adminProducts.getAdminProduct(ctx, input),
});

export const createProduct = idempotentMutation({
  input: CreateProductInput,
  output: AdminProduct,
  access: write,
  rest: {
    method: "post",
    path: "/admin/products",
    status: 201,
    operationId: "createProduct",
    tag,
    summary: "Create a product with its options, variants and opening stock",
    description:
      "All or nothing. Each variant gives one value for each option, among its values; SKUs and combinations are unique. A draft unless `status` says otherwise.",
    responds: "The new product",
    errors: [409],
  },
  run: (ctx, input) => adminProducts.createProduct(ctx, input),
});

export const updateProduct = mutation({
  input: UpdateProductInput,
  output: AdminProduct,
  access: write,
  rest: {
    method: "patch",
    path: "/admin/products/{id}",
    status: 200,
    operationId: "updateProduct",
    tag,
    summary: "Change a product's fields; archive it with status archived",
    description: "`attributes` and `metadata` are replaced as a whole.",
    responds: "The product",
    errors: [404, 409],
    params: ProductIdInput,
    body: UpdateProductBody,
  },
  run: (ctx, input) => adminProducts.updateProduct(ctx, input),
});

export const deleteProduct = mutation({
  input: ProductIdInput,
  output: undefined,
  access: write,
  rest: {
    method: "delete",
    path: "/admin/products/{id}",
    status: 204,
    operationId: "deleteProduct",
    tag,
    summary: "Delete a product that nothing refers to",
    description: "409 once its stock has moved or is reserved (later: once ordered): archive it instead.",
    responds: "Deleted",
    errors: [404, 409],
    params: ProductIdInput,
  },
  run: (ctx, input) => adminProducts.deleteProduct(ctx, input),
});

export const createVariant = idempotentMutation({
  input: CreateVariantInput,
  output: AdminVariant,
  access: write,
  rest: {
    method: "post",
    path: "/admin/products/{id}/variants",
    status: 201,
    operationId: "createVariant",
    tag,
    summary: "Add a variant with its opening stock",
    responds: "The new variant",
    errors: [404, 409],
    params: ProductIdInput,
    body: NewVariant,
  },
  run: (ctx, input) => variants.createVariant(ctx, input),
});

export const updateVariant = mutation({
  input: UpdateVariantInput,
  output: AdminVariant,
  access: write,
  rest: {
    method: "patch",
    path: "/admin/variants/{id}",
    status: 200,
    operationId: "updateVariant",
    tag,
    summary: "Change a variant's price, SKU, options, weight, position or metadata",
    description: "Stock is changed through the inventory endpoints. `metadata` is replaced as a whole.",
    responds: "The variant",
    errors: [404, 409],
    params: IdParam,
    body: UpdateVariantBody,
  },
  run: (ctx, input) => variants.updateVariant(ctx, input),
});

export const deleteVariant = mutation({
  input: IdParam,
  output: undefined,
  access: write,
  rest: {
    method: "delete",
    path: "/admin/variants/{id}",
    status: 204,
    operationId: "deleteVariant",
    tag,
    summary: "Delete a variant",
    description: "409 for a product's last variant, and once its stock has moved or is reserved.",
    responds: "Deleted",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => variants.deleteVariant(ctx, input),
});

export const addOption = mutation({
  input: AddOptionInput,
  output: AdminProduct,
  access: write,
  rest: {
    method: "post",
    path: "/admin/products/{id}/options",
    status: 201,
    operationId: "addProductOption",
    tag,
    summary: "Add an option; existing variants take its defaultValue",
    responds: "The product",
    errors: [404, 409],
    params: ProductIdInput,
    body: AddOptionBody,
  },
  run: (ctx, input) => options.addOption(ctx, input),
});

export const updateOption = mutation({
  input: UpdateOptionInput,
  output: AdminProduct,
  access: write,
  rest: {
    method: "patch",
    path: "/admin/options/{id}",
    status: 200,
    operationId: "updateProductOption",
    tag,
    summary: "Rename an option, replace its values or move it",
    description: "A rename applies to every variant. Leaving out a value a variant uses is 409.",
    responds: "The product",
    errors: [404, 409],
    params: IdParam,
    body: UpdateOptionBody,
  },
  run: (ctx, input) => options.updateOption(ctx, input),
});

export const deleteOption = mutation({
  input: IdParam,
  output: undefined,
  access: write,
  rest: {
    method: "delete",
    path: "/admin/options/{id}",
    status: 204,
    operationId: "deleteProductOption",
    tag,
    summary: "Remove an option from a product and its variants",
    description: "409 when two variants would then have the same option values.",
    responds: "Removed",
    errors: [404, 409],
    params: IdParam,
  },
  run: (ctx, input) => options.deleteOption(ctx, input),
});

export const addImage = mutation({
  input: AddImageInput,
  output: ProductImage,
  access: write,
  rest: {
    method: "post",
    path: "/admin/products/{id}/images",
    status: 201,
    operationId: "addProductImage",
    tag,
    summary: "Add an image (an http(s) URL) after the others",
    responds: "The image",
    errors: [404],
    params: ProductIdInput,
    body: AddImageBody,
  },
  run: (ctx, input) => images.addImage(ctx, input),
});

export const deleteImage = mutation({
  input: IdParam,
  output: undefined,
  access: write,
  rest: {
    method: "delete",
    path: "/admin/images/{id}",
    status: 204,
    operationId: "deleteProductImage",
    tag,
    summary: "Remove an image",
    responds: "Removed",
    errors: [404],
    params: IdParam,
  },
  run: (ctx, input) => images.deleteImage(ctx, input),
});

export const reorderImages = mutation({
  input: ReorderImagesInput,
  output: ProductImages,
  access: write,
  rest: {
    method: "put",
    path: "/admin/products/{id}/images/order",
    status: 200,
    operationId: "reorderProductImages",
    tag,
    summary: "Put a product's images in a new order (the first is the card's)",
    responds: "The images in their new order",
    errors: [404],
    params: ProductIdInput,
    body: ReorderImagesBody,
  },
  run: (ctx, input) => images.reorderImages(ctx, input),
});
