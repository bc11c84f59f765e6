import { defineModule } from "../../lib/module";
import * as op from "./operations";
import { expireOrdersTask } from "./tasks/expire-orders";

/** Checkout: a cart becomes an order, exactly once, under races, retries and crashes. */
export default defineModule({
  name: "checkout",
  tags: [
    {
      name: "Checkout",
      description:
        "Placing an order from a cart: one transaction re-prices it, reserves its stock and redeems its promotions; the payment follows the commit, keyed by the order.",
    },
  ],
  operations: {
    checkout: { placeOrder: op.placeOrder },
    me: { orders: { cancel: op.cancelMyOrder } },
    admin: { orders: { cancel: op.cancelOrder } },
  },
  tasks: [expireOrdersTask],
});
