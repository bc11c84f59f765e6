import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";
import { users } from "./identity";

/** A customer's address book (module addresses). */
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

/** The field each addresses constraint guards (constraints.ts). */
export const addressesConstraints = [
  constraintFields(addresses, {
    addresses_user_id_users_id_fk: "userId",
    // Two defaults of one kind: the addresses service clears the others under a lock, so only a bug gets here.
    addresses_one_default_shipping: "isDefaultShipping",
    addresses_one_default_billing: "isDefaultBilling",
  }),
];
