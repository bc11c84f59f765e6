import { defineTask } from "../../../jobs/task";
import { cancelProviderPayment } from "../cancel-payment";
import { cancelPaymentJob } from "../jobs";

/** Cancels a cancelled order's payment at its provider (or books it, if it succeeded meanwhile). */
export const cancelPaymentTask = defineTask({
  job: cancelPaymentJob,
  run: (ctx, payload) => cancelProviderPayment(ctx, payload.orderId),
});
