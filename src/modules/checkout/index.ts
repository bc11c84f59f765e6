import { defineModule } from "../../lib/module";
import * as op from "./operations";

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
  operations: { checkout: { placeOrder: op.placeOrder } },
});
