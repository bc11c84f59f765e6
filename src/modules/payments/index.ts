import { defineModule } from "../../lib/module";
import * as op from "./operations";
import { cancelPaymentTask } from "./tasks/cancel-payment";
import { executeRefundTask } from "./tasks/execute-refund";

/** Payments: an order's payment with its provider (manual or Stripe), Stripe's webhooks, and refunds. */
export default defineModule({
  name: "payments",
  tags: [
    {
      name: "Webhooks",
      description:
        "Calls payment providers make to Cartwright, outside the versioned API: each verified by its signature and applied once",
    },
  ],
  operations: {
    orders: { pay: op.payOrder },
    admin: { orders: { markPaid: op.markOrderPaid, refund: op.refundOrder } },
    webhooks: { stripe: op.receiveStripeWebhook },
  },
  tasks: [executeRefundTask, cancelPaymentTask],
});
