import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";
import { users } from "./identity";

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

/** The field each API key constraint guards (constraints.ts). */
export const apiKeysConstraints = [
  constraintFields(apiKeys, { api_keys_key_hash_unique: "keyHash", api_keys_created_by_users_id_fk: "createdBy" }),
];
