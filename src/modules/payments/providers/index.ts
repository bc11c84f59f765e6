import type { Config } from "../../../config";
import type { PaymentProviderName } from "../../../db/schema";
import { AppError } from "../../../lib/errors";
import type { PaymentProvider } from "../../../lib/payments";
import { manualProvider } from "./manual";
import { stripeProvider } from "./stripe";

/** Manual payments unless a Stripe key is set (architecture.md "Modes"). */
export function createPaymentProvider(config: Config): PaymentProvider {
  if (!config.STRIPE_SECRET_KEY) return manualProvider;
  return stripeProvider({
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    apiUrl: config.STRIPE_API_URL,
  });
}

/** The provider an order was placed with: the configured one, or manual, which needs no configuration. */
export function providerFor(configured: PaymentProvider, name: PaymentProviderName): PaymentProvider {
  if (configured.name === name) return configured;
  if (name === "manual") return manualProvider;
  throw new AppError("CONFLICT", "This order was placed with Stripe, which is not configured here (STRIPE_SECRET_KEY)");
}
