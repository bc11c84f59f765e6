import { z } from "zod";

// The one place the environment is read. Every variable is optional: unset means
// the embedded or in-process default (architecture.md, "Modes").

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(":", ""));
      } catch {
        return false;
      }
    },
    { message: `must be a URL (${protocols.join(", ")})` },
  );

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: url(["http", "https"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),

  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Unset: .cartwright/postgres, or (as root, in a checkout the postgres user cannot
  // enter) a directory under /var/lib/cartwright/postgres; set: used as given.
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  MIGRATE_ON_BOOT: bool.default(true),
  SEED_ON_FIRST_RUN: bool.default(true),

  REDIS_URL: url(["redis", "rediss"]).optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default("cw:"),
  TYPESENSE_URL: url(["http", "https"]).optional(),
  TYPESENSE_API_KEY: z.string().min(1).optional(),
  STRIPE_SECRET_KEY: z.string().startsWith("sk_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").optional(),
  // Where the Stripe SDK sends its requests: Stripe's API unless set (a local stand-in, stripe-mock).
  STRIPE_API_URL: url(["http", "https"]).optional(),
  // An unpaid order is cancelled this long after it was placed, and its stock and promotion uses return.
  ORDER_PAYMENT_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(30),
  SMTP_URL: url(["smtp", "smtps"]).optional(),
  MAIL_FROM: z.string().min(3).default("Cartwright <no-reply@cartwright.local>"),
  MAIL_DIR: z.string().min(1).default(".cartwright/mail"),

  WORKER_ENABLED: bool.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),

  CORS_ORIGINS: list.default([]),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(60),
  // Catalog prices already contain the destination's tax (domain.md "Cart and pricing"); false: tax is added on top.
  PRICES_INCLUDE_TAX: bool.default(false),
  // Where links in emails (verify email, reset password) point.
  STOREFRONT_URL: url(["http", "https"]).optional(),
  // Behind a reverse proxy: take the client address from X-Forwarded-For.
  TRUST_PROXY: bool.default(false),
  // REST requests per minute per API key, session or (anonymous) IP.
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  // Sent as X-Ready-Token, shows /ready's checks, modes and embedded Postgres to probes and scripts.
  READY_TOKEN: z.string().min(16, "at least 16 characters").optional(),
});

export type Config = z.output<typeof EnvSchema>;

export class ConfigError extends Error {}

/** Parses the environment once; a bad value fails with one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
}
