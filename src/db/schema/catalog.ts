import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { constraintFields } from "./constraint-fields";

export const categories = pgTable(
  "categories",
  {
    id: uuid("id").primaryKey(),
    // RESTRICT: deleting a parent must be an explicit decision about its children.
    parentId: uuid("parent_id").references((): AnyPgColumn => categories.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("categories_parent_position_idx").on(t.parentId, t.position, t.name),
    check("categories_not_own_parent", sql`${t.parentId} <> ${t.id}`),
  ],
);

/** The field each catalog constraint guards (constraints.ts). */
export const catalogConstraints = [
  constraintFields(categories, { categories_slug_unique: "slug", categories_parent_id_categories_id_fk: "parentId" }),
];
