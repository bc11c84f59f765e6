// What other modules may call (architecture.md: a module imports another's service only).
// Checkout opens the order's payment row in its transaction and calls ensurePayment after its commit; cancellation and expiry call
// cancelPaymentInTx (unpaid) or startRefundInTx (paid) inside their transactions.

export { cancelPaymentInTx, cancelProviderPayment } from "./cancel-payment";
export { ensurePayment, payOrder } from "./ensure-payment";
export { cancelPaymentJob, executeRefundJob } from "./jobs";
export { openPayment } from "./payment-rows";
export { markOrderPaid, type PaymentSucceeded, recordPaymentSucceededInTx } from "./record-payment";
export { executeRefund } from "./refund-execution";
export { refundableInTx, refundOrder, type StartRefund, startRefundInTx } from "./refunds";
export { CheckoutPayment } from "./schemas";
export { receiveStripeWebhook } from "./stripe-webhook";
