import Stripe from "stripe";
import { StandInServer } from "./stand-in-server";

// A local stand-in for the Stripe endpoints Cartwright uses (architecture.md "Tests"): the real
// `stripe` SDK talks to it over HTTP (its host/port/protocol options). It is as strict as Stripe
// about what we send, and stricter where our own rules say more: the secret key, the API version
// header, form-encoded bodies, unknown parameters, amounts, lower-case currencies, metadata limits.
// Idempotency-Key works as Stripe's does: the same key and parameters replay the first answer
// (`Idempotent-Replayed: true`), other parameters are a 400, and a key still in flight is a 409
// (the SDK retries it). PaymentIntents move through Stripe's states; refunds check what is left.
// The other side of Stripe (a shopper confirming with Stripe.js, a refund in the dashboard) and
// its webhooks are test helpers: `succeed`, `decline`, `refundInDashboard`, `event`, `signed`.

export const STAND_IN_SECRET_KEY = "sk_test_cartwright_stand_in";
export const STAND_IN_WEBHOOK_SECRET = "whsec_cartwright_stand_in";

type Params = { [key: string]: string | Params };

export interface StandInPaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: "requires_payment_method" | "processing" | "succeeded" | "canceled";
  client_secret: string;
  metadata: Record<string, string>;
  receipt_email: string | null;
  automatic_payment_methods: { enabled: boolean; allow_redirects: "always" } | null;
  last_payment_error: { type: "card_error"; code: string; message: string } | null;
  latest_charge: string | null;
  canceled_at: number | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

export interface StandInRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  status: "succeeded" | "pending" | "failed";
  payment_intent: string;
  charge: string;
  metadata: Record<string, string>;
  reason: string | null;
  created: number;
}

/** What the stand-in was asked, for tests to check. */
export interface StandInRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Params;
  replayed: boolean;
}

class StripeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; code?: string; message: string; param?: string; [key: string]: unknown },
  ) {
    super(body.message);
  }
}

const PI_PARAMS = new Set([
  "amount",
  "currency",
  "metadata",
  "receipt_email",
  "automatic_payment_methods",
  "description",
  "payment_method_types",
  "expand",
]);
const REFUND_PARAMS = new Set(["payment_intent", "charge", "amount", "metadata", "reason", "expand"]);
const REFUND_REASONS = new Set(["duplicate", "fraudulent", "requested_by_customer"]);
const CANCELABLE = new Set(["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"]);

const now = () => Math.floor(Date.now() / 1000);
const randomId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;

export class StripeStandIn extends StandInServer {
  readonly paymentIntents = new Map<string, StandInPaymentIntent>();
  readonly refunds = new Map<string, StandInRefund>();
  received: StandInRequest[] = [];
  /** Requests it refused as malformed, with why: a test may assert there were none. */
  refused: string[] = [];
  /** Added to every answer, so that concurrent calls overlap as they would over the internet. */
  latencyMs = 0;
  /** New refunds answer `pending`, as some payment methods' do, until `settleRefund`. */
  refundsSettleLater = false;
  private readonly idempotent = new Map<string, { fingerprint: string; body: unknown } | "in-flight">();
  private readonly sdk = new Stripe(STAND_IN_SECRET_KEY);

  /** The app's environment for Stripe through this stand-in. */
  env(): Record<string, string> {
    return {
      STRIPE_SECRET_KEY: STAND_IN_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: STAND_IN_WEBHOOK_SECRET,
      STRIPE_API_URL: this.url,
    };
  }

  /** The PaymentIntent made for an order (its metadata.orderId), if any. */
  intentFor(orderId: string): StandInPaymentIntent | undefined {
    return [...this.paymentIntents.values()].find((pi) => pi.metadata.orderId === orderId);
  }

  /** The shopper's confirmation with Stripe.js succeeded: the PaymentIntent is paid. */
  succeed(id: string): StandInPaymentIntent {
    const pi = this.intent(id);
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    pi.latest_charge = randomId("ch");
    return structuredClone(pi);
  }

  /** The shopper's card was declined: the PaymentIntent waits for another payment method. */
  decline(id: string, message = "Your card was declined."): StandInPaymentIntent {
    const pi = this.intent(id);
    pi.status = "requires_payment_method";
    pi.last_payment_error = { type: "card_error", code: "card_declined", message };
    return structuredClone(pi);
  }

  /** A refund made in Stripe's dashboard, outside Cartwright. */
  refundInDashboard(paymentIntentId: string, amount: number): StandInRefund {
    return this.createRefund({ payment_intent: paymentIntentId, amount: String(amount) });
  }

  /** A pending refund went through (or not): the object a `refund.updated` event carries. */
  settleRefund(id: string, status: "succeeded" | "failed" = "succeeded"): StandInRefund {
    const refund = this.refunds.get(id);
    if (!refund) throw new Error(`no refund ${id}`);
    refund.status = status;
    return structuredClone(refund);
  }

  /** The charge of a paid PaymentIntent as a `charge.*` event carries it. */
  charge(paymentIntentId: string) {
    const pi = this.intent(paymentIntentId);
    const refunded = this.refundsOf(pi.id).reduce((sum, r) => sum + (r.status === "failed" ? 0 : r.amount), 0);
    return {
      id: pi.latest_charge ?? randomId("ch"),
      object: "charge" as const,
      amount: pi.amount,
      amount_captured: pi.amount_received,
      amount_refunded: refunded,
      currency: pi.currency,
      payment_intent: pi.id,
      paid: pi.status === "succeeded",
      refunded: refunded >= pi.amount,
      status: "succeeded" as const,
      metadata: {},
      created: pi.created,
      livemode: false,
    };
  }

  /** An event as Stripe sends it, its object as it is now (a later change does not alter it). */
  event(type: string, object: object): { id: string; type: string; [key: string]: unknown } {
    return {
      id: randomId("evt"),
      object: "event",
      api_version: Stripe.API_VERSION,
      created: now(),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
  }

  /** A webhook delivery of `event`: its body and `Stripe-Signature`, signed with the SDK's own test helper. */
  async signed(event: object, secret = STAND_IN_WEBHOOK_SECRET): Promise<{ payload: string; signature: string }> {
    const payload = JSON.stringify(event, null, 2);
    return { payload, signature: await this.sdk.webhooks.generateTestHeaderStringAsync({ payload, secret }) };
  }

  /** Forgets what it was asked (not what it holds). */
  clearReceived(): void {
    this.received = [];
    this.refused = [];
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const route = `${req.method} ${url.pathname}`;
    const key = req.method === "POST" ? req.headers.get("idempotency-key") : null;
    let claimed = false;
    try {
      if (req.headers.get("authorization") !== `Bearer ${STAND_IN_SECRET_KEY}`) {
        throw new StripeFailure(401, { type: "invalid_request_error", message: "Invalid API Key provided" });
      }
      if (!req.headers.get("stripe-version")) {
        throw new StripeFailure(400, { type: "invalid_request_error", message: "Missing Stripe-Version header" });
      }
      const params = await readParams(req, url);
      const fingerprint = `${route}\n${JSON.stringify(params)}`;
      const seen = key ? this.idempotent.get(key) : undefined;
      if (seen === "in-flight") {
        throw new StripeFailure(409, {
          type: "idempotency_error",
          message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
        });
      }
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          throw new StripeFailure(400, {
            type: "idempotency_error",
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          });
        }
        this.received.push({ method: req.method, path: url.pathname, idempotencyKey: key, params, replayed: true });
        await this.pause();
        return json(200, seen.body, { "Idempotent-Replayed": "true" });
      }
      this.received.push({ method: req.method, path: url.pathname, idempotencyKey: key, params, replayed: false });
      if (key) this.idempotent.set(key, "in-flight");
      claimed = key !== null;
      const body = await this.answer(req.method, url, params);
      // Kept for the key: a replay answers the same object. (Stripe also keeps the errors of requests
      // it began executing; here a refused request leaves the key free, and nothing relies on either.)
      if (key) this.idempotent.set(key, { fingerprint, body });
      return json(200, body);
    } catch (err) {
      if (!(err instanceof StripeFailure)) throw err;
      if (key && claimed) this.idempotent.delete(key);
      if (err.status === 400) this.refused.push(`${route}: ${err.message}`);
      return json(err.status, { error: err.body });
    }
  }

  private async answer(method: string, url: URL, params: Params): Promise<unknown> {
    await this.pause();
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "v1") throw notFound("route", url.pathname);
    if (parts[1] === "payment_intents") {
      if (parts.length === 2 && method === "POST") return this.createIntent(params);
      const pi = this.intent(parts[2] ?? "");
      if (parts.length === 3 && method === "GET") return structuredClone(pi);
      if (parts[3] === "cancel" && method === "POST") return this.cancelIntent(pi);
    }
    if (parts[1] === "refunds") {
      if (parts.length === 2 && method === "POST") return this.createRefund(params);
      if (parts.length === 2 && method === "GET") {
        const of = typeof params.payment_intent === "string" ? params.payment_intent : null;
        const data = [...this.refunds.values()].filter((r) => !of || r.payment_intent === of).reverse();
        return { object: "list", data, has_more: false, url: "/v1/refunds" };
      }
    }
    throw notFound("route", url.pathname);
  }

  private createIntent(params: Params): StandInPaymentIntent {
    unknownParams(params, PI_PARAMS);
    const amount = positiveInteger(params.amount, "amount");
    const currency = typeof params.currency === "string" ? params.currency : "";
    if (!/^[a-z]{3}$/.test(currency)) {
      throw invalid("currency", `Invalid currency: ${currency}. Stripe currencies are three lower-case letters.`);
    }
    if (currency === "usd" && amount < 50) {
      throw invalid("amount", "Amount must be at least $0.50 usd", "amount_too_small");
    }
    const id = randomId("pi");
    const pi: StandInPaymentIntent = {
      id,
      object: "payment_intent",
      amount,
      amount_received: 0,
      currency,
      status: "requires_payment_method",
      client_secret: `${id}_secret_${randomId("s").slice(2)}`,
      metadata: metadataOf(params.metadata),
      receipt_email: typeof params.receipt_email === "string" ? params.receipt_email : null,
      automatic_payment_methods:
        typeof params.automatic_payment_methods === "object" && params.automatic_payment_methods.enabled === "true"
          ? { enabled: true, allow_redirects: "always" }
          : null,
      last_payment_error: null,
      latest_charge: null,
      canceled_at: null,
      cancellation_reason: null,
      created: now(),
      livemode: false,
    };
    this.paymentIntents.set(id, pi);
    return structuredClone(pi);
  }

  private cancelIntent(pi: StandInPaymentIntent): StandInPaymentIntent {
    if (!CANCELABLE.has(pi.status)) {
      throw new StripeFailure(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${[...CANCELABLE].join(", ")}.`,
        payment_intent: structuredClone(pi),
      });
    }
    pi.status = "canceled";
    pi.canceled_at = now();
    return structuredClone(pi);
  }

  private createRefund(params: Params): StandInRefund {
    unknownParams(params, REFUND_PARAMS);
    if (typeof params.reason === "string" && !REFUND_REASONS.has(params.reason)) {
      throw invalid("reason", `Invalid reason: must be one of ${[...REFUND_REASONS].join(", ")}`);
    }
    if (typeof params.payment_intent !== "string") throw invalid("payment_intent", "Missing payment_intent");
    const pi = this.intent(params.payment_intent);
    if (pi.status !== "succeeded" || !pi.latest_charge) {
      throw invalid(
        "payment_intent",
        `This PaymentIntent (${pi.id}) does not have a successful charge to refund.`,
        "charge_not_refundable",
      );
    }
    const left = pi.amount_received - this.refundsOf(pi.id).reduce((sum, r) => sum + r.amount, 0);
    if (left <= 0)
      throw invalid("charge", `Charge ${pi.latest_charge} has already been refunded.`, "charge_already_refunded");
    const amount = params.amount === undefined ? left : positiveInteger(params.amount, "amount");
    if (amount > left) {
      throw invalid(
        "amount",
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
        "amount_too_large",
      );
    }
    const refund: StandInRefund = {
      id: randomId("re"),
      object: "refund",
      amount,
      currency: pi.currency,
      status: this.refundsSettleLater ? "pending" : "succeeded",
      payment_intent: pi.id,
      charge: pi.latest_charge,
      metadata: metadataOf(params.metadata),
      reason: typeof params.reason === "string" ? params.reason : null,
      created: now(),
    };
    this.refunds.set(refund.id, refund);
    return structuredClone(refund);
  }

  private refundsOf(paymentIntentId: string): StandInRefund[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === paymentIntentId && r.status !== "failed");
  }

  private intent(id: string): StandInPaymentIntent {
    const pi = this.paymentIntents.get(id);
    if (!pi) throw notFound("payment_intent", id);
    return pi;
  }

  private pause(): Promise<void> {
    return this.latencyMs > 0 ? Bun.sleep(this.latencyMs) : Promise.resolve();
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": randomId("req"), ...headers },
  });
}

const invalid = (param: string, message: string, code = "parameter_invalid") =>
  new StripeFailure(400, { type: "invalid_request_error", code, message, param });

const notFound = (what: string, id: string) =>
  new StripeFailure(404, {
    type: "invalid_request_error",
    code: "resource_missing",
    message: `No such ${what}: '${id}'`,
    param: what === "payment_intent" ? "intent" : undefined,
  });

/** The SDK's form encoding (`metadata[orderId]=...`) as nested params; GETs carry them in the query. */
async function readParams(req: Request, url: URL): Promise<Params> {
  let form: URLSearchParams;
  if (req.method === "GET" || req.method === "DELETE") form = url.searchParams;
  else {
    const type = req.headers.get("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      throw new StripeFailure(400, { type: "invalid_request_error", message: `Invalid content type: ${type}` });
    }
    form = new URLSearchParams(await req.text());
  }
  const params: Params = {};
  for (const [name, value] of form) {
    const [head = "", ...rest] = name.split("[").map((p) => p.replace(/]$/, ""));
    let at = params;
    for (const key of [head, ...rest].slice(0, -1)) {
      const next = at[key];
      if (typeof next === "object") at = next;
      else {
        const nested: Params = {};
        at[key] = nested;
        at = nested;
      }
    }
    at[[head, ...rest].at(-1) ?? head] = value;
  }
  return params;
}

function unknownParams(params: Params, known: Set<string>): void {
  const unknown = Object.keys(params).find((k) => !known.has(k));
  if (unknown) throw invalid(unknown, `Received unknown parameter: ${unknown}`, "parameter_unknown");
}

function positiveInteger(value: string | Params | undefined, param: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalid(param, `Invalid positive integer: ${param}`);
  return n;
}

/** Stripe's limits: 50 keys, keys up to 40 characters, values strings up to 500. */
function metadataOf(value: string | Params | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === "string") throw invalid("metadata", "Invalid object: metadata");
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalid("metadata", "Metadata can have at most 50 keys");
  for (const [k, v] of entries) {
    if (typeof v !== "string") throw invalid(`metadata[${k}]`, "Metadata values must be strings");
    if (k.length > 40) throw invalid(`metadata[${k}]`, "Metadata keys can be at most 40 characters");
    if (v.length > 500) throw invalid(`metadata[${k}]`, "Metadata values can be at most 500 characters");
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
