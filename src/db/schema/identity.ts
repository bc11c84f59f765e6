import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";

export const roleEnum = pgEnum("role", ["customer", "staff", "admin"]);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    // Stored lower-cased: emails are case-insensitive and unique (domain.md "Identity").
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: roleEnum("role").notNull().default("customer"),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true, mode: "date" }),
    disabledAt: timestamp("disabled_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
    // Admin list: keyset over (created_at desc, id desc).
    index("users_created_id_idx").on(t.createdAt.desc(), t.id.desc()),
  ],
);

/** Lucia's sessions, keyed by the SHA-256 of the client's token: the table holds no usable token. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

export const emailTokenPurpose = pgEnum("email_token_purpose", ["verify_email", "reset_password"]);

/** Single-use email verification and password reset tokens, stored as SHA-256 hashes. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: emailTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("email_tokens_user_purpose_idx").on(t.userId, t.purpose)],
);

export const addresses = pgTable(
  "addresses",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    line1: text("line1").notNull(),
    line2: text("line2"),
    city: text("city").notNull(),
    region: text("region"),
    postalCode: text("postal_code").notNull(),
    country: text("country").notNull(),
    phone: text("phone"),
    isDefaultShipping: boolean("is_default_shipping").notNull().default(false),
    isDefaultBilling: boolean("is_default_billing").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("addresses_user_id_idx").on(t.userId, t.createdAt),
    check("addresses_country_alpha2", sql`${t.country} ~ '^[A-Z]{2}$'`),
    // At most one default of each kind per customer.
    uniqueIndex("addresses_one_default_shipping").on(t.userId).where(sql`${t.isDefaultShipping}`),
    uniqueIndex("addresses_one_default_billing").on(t.userId).where(sql`${t.isDefaultBilling}`),
  ],
);

/** Third-party API keys: the secret is shown once and stored only as its SHA-256 hash. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    // The first characters of the secret (`ck_abcd1234`), to recognise a key in lists.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes").array().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("api_keys_created_id_idx").on(t.createdAt.desc(), t.id.desc())],
);

/** The field each identity constraint guards (constraints.ts). */
export const identityConstraints = [
  constraintFields(users, { users_email_unique: "email" }),
  constraintFields(sessions, { sessions_user_id_users_id_fk: "userId" }),
  constraintFields(emailTokens, {
    email_tokens_token_hash_unique: "tokenHash",
    email_tokens_user_id_users_id_fk: "userId",
  }),
  constraintFields(addresses, {
    addresses_user_id_users_id_fk: "userId",
    // Two defaults of one kind: the addresses service clears the others under a lock, so only a bug gets here.
    addresses_one_default_shipping: "isDefaultShipping",
    addresses_one_default_billing: "isDefaultBilling",
  }),
  constraintFields(apiKeys, { api_keys_key_hash_unique: "keyHash", api_keys_created_by_users_id_fk: "createdBy" }),
];
