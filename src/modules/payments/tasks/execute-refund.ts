import { defineTask } from "../../../jobs/task";
import { executeRefundJob } from "../jobs";
import { executeRefund } from "../refund-execution";

/** The fallback for a refund the call after its commit did not finish (the process died, the provider failed). */
export const executeRefundTask = defineTask({
  job: executeRefundJob,
  run: (ctx, payload) => executeRefund(ctx, payload.refundId),
});
