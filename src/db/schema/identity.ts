import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    // Counted up by checkout as each order is placed; "first order only" promotions read it.
    ordersPlaced: integer("orders_placed").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(t.email),
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
    check("users_orders_placed_nonnegative", sql`${t.ordersPlaced} >= 0`),
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

/** The field each identity constraint guards (constraints.ts). */
export const identityConstraints = [
  constraintFields(users, { users_email_unique: "email" }),
  constraintFields(sessions, { sessions_user_id_users_id_fk: "userId" }),
  constraintFields(emailTokens, {
    email_tokens_token_hash_unique: "tokenHash",
    email_tokens_user_id_users_id_fk: "userId",
  }),
];
