/**
 * The payment provider behind an order (domain.md "Payments"): `manual` where no
 * Stripe key is set, `stripe` otherwise (src/modules/payments/providers). Every call
 * goes to an outside service, so none is made while a database transaction is open;
 * each carries an idempotency key derived from our row, so a retry repeats nothing.
 */
export interface PaymentProvider {
  readonly name: "manual" | "stripe";
  /**
   * Whether a payment is made at an outside service. When not (manual), the row checkout writes in
   * its transaction is the whole payment, and nothing is called after the commit.
   */
  readonly remote: boolean;
  /** Creates the order's payment, or finds the one an earlier call created (keyed by the order id). */
  createPayment(input: CreatePaymentInput): Promise<ProviderPayment>;
  /** The payment as the provider sees it now: webhooks arrive out of order, this is the truth. */
  retrievePayment(ref: string): Promise<ProviderPayment>;
  /** Cancels a payment not yet made (its order was cancelled or expired); one already cancelled is fine. */
  cancelPayment(ref: string): Promise<void>;
  /** Gives back `amount` of a payment, keyed by our refund's id. */
  refund(input: ProviderRefundInput): Promise<ProviderRefund>;
}

export interface CreatePaymentInput {
  orderId: string;
  /** `CW-100042`, shown to the shopper by the provider (statement descriptors, receipts). */
  orderNumber: string;
  amount: number;
  currency: string;
  email: string;
}

export type ProviderPaymentStatus = "pending" | "succeeded" | "failed" | "canceled";

export interface ProviderPayment {
  /** The provider's id (`pi_...`); null for manual payments. */
  ref: string | null;
  status: ProviderPaymentStatus;
  amount: number;
  currency: string;
  /** What the frontend confirms the payment with (Stripe's `client_secret`); null for manual. */
  clientSecret: string | null;
  /** The order id the payment was created for (Stripe metadata). */
  orderId: string | null;
}

export interface ProviderRefundInput {
  /** The payment's provider id; null for manual payments. */
  paymentRef: string | null;
  amount: number;
  /** Our refund's id: the provider's idempotency key. */
  refundId: string;
  reason?: string;
}

export interface ProviderRefund {
  /** The provider's id (`re_...`); null for manual refunds. */
  ref: string | null;
  status: "pending" | "succeeded" | "failed";
}
