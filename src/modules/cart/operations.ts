import { mutation, query, shopper, signedIn } from "../../lib/operation";
import {
  AddCartItemBody,
  AddCartItemInput,
  ApplyCouponBody,
  ApplyCouponInput,
  Cart,
  CartIdParams,
  CartInput,
  CartItemInput,
  CartItemParams,
  CartShippingOptions,
  CouponParams,
  CreateCartBody,
  CreateCartInput,
  CreatedCart,
  MergedCart,
  RemoveCouponInput,
  ShippingMethodsQuery,
  UpdateCartBody,
  UpdateCartInput,
  UpdateCartItemBody,
  UpdateCartItemInput,
} from "./schemas";
import * as cart from "./service";

const tag = "Cart";
const HOLDER =
  "A guest sends the cart's `X-Cart-Token`; a customer needs none for their own cart. Another shopper's cart is 404.";

export const createCart = mutation({
  input: CreateCartInput,
  output: CreatedCart,
  access: shopper,
  rest: {
    method: "post",
    path: "/carts",
    status: 201,
    operationId: "createCart",
    tag,
    summary: "Start a cart: a guest's (with its token, shown once) or the customer's (one active each)",
    description:
      "A guest gets a new cart and its secret `token`: send it as `X-Cart-Token` on every call about the cart (it lapses 30 days after the last change). A signed-in customer gets their active cart, made when they have none.",
    responds: "The cart, with the guest's token",
    body: CreateCartBody,
  },
  run: (ctx, input) => cart.createCart(ctx, input),
});

export const getCart = query({
  input: CartInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "get",
    path: "/carts/{cartId}",
    status: 200,
    operationId: "getCart",
    tag,
    summary: "A cart priced now: today's prices, stock and promotions, and what changed since",
    description: HOLDER,
    responds: "The cart",
    errors: [404],
    params: CartIdParams,
  },
  run: (ctx, input) => cart.getCart(ctx, input),
});

export const updateCart = mutation({
  input: UpdateCartInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "patch",
    path: "/carts/{cartId}",
    status: 200,
    operationId: "updateCart",
    tag,
    summary: "Set where the cart ships (for shipping and tax) and its shipping method",
    description: HOLDER,
    responds: "The cart",
    errors: [404],
    params: CartIdParams,
    body: UpdateCartBody,
  },
  run: (ctx, input) => cart.updateCart(ctx, input),
});

export const addItem = mutation({
  input: AddCartItemInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "post",
    path: "/carts/{cartId}/items",
    status: 200,
    operationId: "addCartItem",
    tag,
    summary: "Add units of a variant (a variant already in the cart adds to its line)",
    description: `The line's quantity (1 to 99) is checked against what is available: 409 \`OUT_OF_STOCK\` with \`available\`. ${HOLDER}`,
    responds: "The cart with the line",
    errors: [404, 409],
    params: CartIdParams,
    body: AddCartItemBody,
  },
  run: (ctx, input) => cart.addItem(ctx, input),
});

export const updateItem = mutation({
  input: UpdateCartItemInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "patch",
    path: "/carts/{cartId}/items/{itemId}",
    status: 200,
    operationId: "updateCartItem",
    tag,
    summary: "Change a line's quantity (1 to 99), checked against what is available",
    description: HOLDER,
    responds: "The cart",
    errors: [404, 409],
    params: CartItemParams,
    body: UpdateCartItemBody,
  },
  run: (ctx, input) => cart.updateItem(ctx, input),
});

export const removeItem = mutation({
  input: CartItemInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "delete",
    path: "/carts/{cartId}/items/{itemId}",
    status: 200,
    operationId: "removeCartItem",
    tag,
    summary: "Take a line out of the cart",
    description: HOLDER,
    responds: "The cart",
    errors: [404],
    params: CartItemParams,
  },
  run: (ctx, input) => cart.removeItem(ctx, input),
});

export const clear = mutation({
  input: CartInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "delete",
    path: "/carts/{cartId}/items",
    status: 200,
    operationId: "clearCart",
    tag,
    summary: "Empty the cart",
    description: HOLDER,
    responds: "The empty cart",
    errors: [404],
    params: CartIdParams,
  },
  run: (ctx, input) => cart.clearCart(ctx, input),
});

export const applyCoupon = mutation({
  input: ApplyCouponInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "post",
    path: "/carts/{cartId}/coupons",
    status: 200,
    operationId: "applyCartCoupon",
    tag,
    summary: "Apply a promotion code (one per cart; any case)",
    description: `422 \`COUPON_INVALID\` with \`reason\`: \`not_found\`, \`expired\`, \`not_started\`, \`minimum_not_met\`, \`usage_limit_reached\`, \`not_eligible\` or \`not_combinable\` (the cart has another code). ${HOLDER}`,
    responds: "The cart with the code applied",
    errors: [404, 422],
    params: CartIdParams,
    body: ApplyCouponBody,
  },
  run: (ctx, input) => cart.applyCoupon(ctx, input),
});

export const removeCoupon = mutation({
  input: RemoveCouponInput,
  output: Cart,
  access: shopper,
  rest: {
    method: "delete",
    path: "/carts/{cartId}/coupons/{code}",
    status: 200,
    operationId: "removeCartCoupon",
    tag,
    summary: "Take the code off the cart",
    description: HOLDER,
    responds: "The cart",
    errors: [404],
    params: CouponParams,
  },
  run: (ctx, input) => cart.removeCoupon(ctx, input),
});

export const merge = mutation({
  input: CartInput,
  output: MergedCart,
  access: signedIn,
  rest: {
    method: "post",
    path: "/carts/{cartId}/merge",
    status: 200,
    operationId: "mergeCart",
    tag,
    summary: "Merge a guest cart (its `X-Cart-Token`) into the signed-in customer's cart",
    description:
      "Quantities add, capped by what is available (and 99 a line); `capped` lists each cut. With no cart of their own, the guest cart becomes the customer's. The guest cart is gone afterwards.",
    responds: "The customer's cart",
    errors: [404, 409],
    params: CartIdParams,
  },
  run: (ctx, input) => cart.mergeCart(ctx, input),
});

export const shippingMethods = query({
  input: ShippingMethodsQuery,
  output: CartShippingOptions,
  access: shopper,
  rest: {
    method: "get",
    path: "/shipping-methods",
    status: 200,
    operationId: "listCartShippingMethods",
    tag,
    summary: "The shipping methods for a cart's destination, each priced for the cart",
    description: `The cart needs a country (\`PATCH /carts/{cartId}\`), else 409. ${HOLDER}`,
    responds: "The methods in display order",
    errors: [404, 409],
  },
  run: (ctx, input) => cart.listCartShippingMethods(ctx, input),
});
