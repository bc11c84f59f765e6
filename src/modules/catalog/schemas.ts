import { z } from "@hono/zod-openapi";
import { Line, Prose, Text } from "../../lib/text";

const Slug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lowercase letters, digits and single hyphens");

export const Category = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    name: z.string(),
    slug: z.string(),
    description: z.string(),
    position: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi("Category");
export type Category = z.infer<typeof Category>;

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export const CategoryNode: z.ZodType<CategoryNode> = Category.extend({
  get children() {
    return z.array(CategoryNode);
  },
}).openapi("CategoryNode");

export const CategoryTree = z
  .object({ items: z.array(CategoryNode).openapi({ description: "Root categories, each with its descendants" }) })
  .openapi("CategoryTree");
export type CategoryTree = z.infer<typeof CategoryTree>;

export const CategoryRef = Category.pick({ id: true, name: true, slug: true }).openapi("CategoryRef");

export const CategoryDetail = Category.extend({
  ancestors: z.array(CategoryRef).openapi({ description: "From the root down to the parent: a breadcrumb" }),
  children: z.array(Category),
}).openapi("CategoryDetail");
export type CategoryDetail = z.infer<typeof CategoryDetail>;

export const GetCategoryInput = z.object({
  idOrSlug: Text.min(1)
    .max(120)
    .openapi({ param: { name: "idOrSlug", in: "path" }, example: "shoes" }),
});

export const CreateCategoryInput = z
  .strictObject({
    name: Line.min(1).max(200),
    slug: Slug.optional().openapi({ description: "Defaults to the name, slugified" }),
    description: Prose.max(5000).default(""),
    parentId: z.uuid().nullable().default(null),
    position: z.number().int().min(0).max(1_000_000).default(0),
  })
  .openapi("CreateCategoryInput");
