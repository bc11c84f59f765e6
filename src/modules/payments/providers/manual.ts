import { AppError } from "../../../lib/errors";
import type { PaymentProvider } from "../../../lib/payments";

/**
 * Payments taken outside Cartwright (bank transfer, cash on delivery, dev and tests):
 * an order waits in pending_payment until an admin marks it paid, and a refund is
 * money the merchant gives back by hand, recorded here as done.
 */
export const manualProvider: PaymentProvider = {
  name: "manual",
  remote: false,
  async createPayment(input) {
    return {
      ref: null,
      status: "pending",
      amount: input.amount,
      currency: input.currency,
      clientSecret: null,
      orderId: input.orderId,
    };
  },
  async retrievePayment() {
    // Manual payments have no provider id to look up: their state is our own row.
    throw new AppError("CONFLICT", "A manual payment has no provider record");
  },
  async cancelPayment() {},
  async refund() {
    return { ref: null, status: "succeeded" };
  },
};
