import { defineModule } from "../../lib/module";
import * as op from "./operations";
import { purgeLapsedCartsTask } from "./tasks/purge-lapsed-carts";

/** Carts: a guest's (held by its token) or a customer's, priced afresh on every read. */
export default defineModule({
  name: "cart",
  tags: [
    {
      name: "Cart",
      description:
        "Guest and customer carts, priced on every read by the one pricing function (the same one orders use): today's prices and stock, promotions re-checked, shipping and tax for the destination.",
    },
  ],
  operations: {
    cart: {
      create: op.createCart,
      get: op.getCart,
      update: op.updateCart,
      addItem: op.addItem,
      updateItem: op.updateItem,
      removeItem: op.removeItem,
      clear: op.clear,
      applyCoupon: op.applyCoupon,
      removeCoupon: op.removeCoupon,
      merge: op.merge,
      shippingMethods: op.shippingMethods,
    },
  },
  tasks: [purgeLapsedCartsTask],
});
