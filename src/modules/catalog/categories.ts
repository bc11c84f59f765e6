import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { categories, products } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { isUuid, newId } from "../../lib/ids";
import { slugify } from "../../lib/slug";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { UpdateCategoryInput } from "./admin-schemas";
import { CATEGORIES_TAG } from "./cache-tags";
import { productsChangedInTx } from "./listing";
import {
  type Category,
  type CategoryDetail,
  type CategoryNode,
  type CategoryTree,
  CreateCategoryInput,
  GetCategoryInput,
} from "./schemas";

type CategoryRow = typeof categories.$inferSelect;

const toCategory = (row: CategoryRow): Category => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** The whole category tree, ordered by position then name; cached until a category changes. */
export async function listCategoryTree(ctx: Ctx): Promise<CategoryTree> {
  return ctx.cache.wrap("catalog:category-tree", { tags: [CATEGORIES_TAG] }, async () => {
    const rows = await ctx.db.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
    return { items: buildTree(rows.map(toCategory)) };
  });
}

function buildTree(flat: Category[]): CategoryNode[] {
  const nodes = new Map(flat.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** One category by id or slug, with its breadcrumb and direct children. */
export async function getCategory(ctx: Ctx, raw: z.input<typeof GetCategoryInput>): Promise<CategoryDetail> {
  const { idOrSlug } = GetCategoryInput.parse(raw);
  const where = isUuid(idOrSlug) ? eq(categories.id, idOrSlug) : eq(categories.slug, idOrSlug);
  const [row] = await ctx.db.select().from(categories).where(where);
  if (!row) throw new AppError("NOT_FOUND", "Category not found");

  const [ancestors, children] = await Promise.all([
    ancestorsOf(ctx, row.parentId),
    ctx.db
      .select()
      .from(categories)
      .where(eq(categories.parentId, row.id))
      .orderBy(asc(categories.position), asc(categories.name)),
  ]);
  return { ...toCategory(row), ancestors, children: children.map(toCategory) };
}

async function ancestorsOf(ctx: Ctx, parentId: string | null) {
  if (!parentId) return [];
  const rows = await ctx.db.execute<{ id: string; name: string; slug: string }>(sql`
    with recursive up as (
      select id, parent_id, name, slug, 0 as depth from ${categories} where id = ${parentId}
      union all
      select c.id, c.parent_id, c.name, c.slug, up.depth + 1 from ${categories} c join up on c.id = up.parent_id
    )
    select id, name, slug from up order by depth desc`);
  return rows.map(({ id, name, slug }) => ({ id, name, slug }));
}

/** Creates a category under an existing parent (or at the root). Staff, or an API key with catalog:write. */
export async function createCategory(ctx: Ctx, raw: z.input<typeof CreateCategoryInput>): Promise<Category> {
  requireStaff(ctx.actor, "catalog:write");
  const input = CreateCategoryInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    if (input.parentId) await assertParentExists(tx, input.parentId);
    const slug = input.slug ?? slugify(input.name);
    if (!slug) {
      throw new AppError("VALIDATION_FAILED", "A slug cannot be made from this name", {
        errors: [{ path: "slug", message: "Give a slug of letters or digits" }],
      });
    }
    // A slug taken by another category surfaces as CONFLICT naming `slug` (lib/errors.ts).
    const [row] = await tx.db
      .insert(categories)
      .values({ ...input, id: newId(), slug })
      .returning();
    // After the commit, not now: a reader in between would cache the old tree under the new version
    // (domain.md "Transactions, caches and outside services").
    tx.afterCommit(() => tx.cache.invalidateTags([CATEGORIES_TAG]));
    return toCategory(row as CategoryRow);
  });
}

async function assertParentExists(tx: TxCtx, parentId: string): Promise<void> {
  const [parent] = await tx.db.select({ id: categories.id }).from(categories).where(eq(categories.id, parentId));
  if (!parent) {
    throw new AppError("VALIDATION_FAILED", "Parent category does not exist", {
      errors: [{ path: "parentId", message: "No category has this id" }],
    });
  }
}

/**
 * Renames, edits or moves a category (`parentId`); moving it under itself or one of its
 * descendants is CONFLICT naming parentId. Every product in its subtree is relisted, as their
 * category path and breadcrumb change. Staff, or catalog:write.
 */
export async function updateCategory(ctx: Ctx, raw: z.input<typeof UpdateCategoryInput>): Promise<Category> {
  requireStaff(ctx.actor, "catalog:write");
  const { id, ...change } = UpdateCategoryInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    // Moves take turns: two crossing moves (a under b, b under a) would each pass the cycle check alone.
    if (change.parentId !== undefined)
      await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext('category-moves'))`);
    const [current] = await tx.db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.id, id))
      .for("update");
    if (!current) throw new AppError("NOT_FOUND", "Category not found");
    if (change.parentId) {
      await assertParentExists(tx, change.parentId);
      await assertNotInSubtree(tx, id, change.parentId);
    }
    const [row] = await tx.db
      .update(categories)
      .set({ ...change, updatedAt: sql`now()` })
      .where(eq(categories.id, id))
      .returning();
    // Products show their category's name and path (breadcrumbs, category_path); a position does not.
    if (change.name !== undefined || change.slug !== undefined || change.parentId !== undefined) {
      await productsChangedInTx(tx, await productsInSubtreeInTx(tx, id));
    }
    tx.afterCommit(() => tx.cache.invalidateTags([CATEGORIES_TAG]));
    return toCategory(row as CategoryRow);
  });
}

/** category_path holds a product's category and its ancestors: the subtree's products are those naming it. */
async function productsInSubtreeInTx(tx: TxCtx, categoryId: string): Promise<string[]> {
  const rows = await tx.db
    .select({ id: products.id })
    .from(products)
    .where(sql`${products.categoryPath} @> array[${categoryId}]::uuid[]`);
  return rows.map((p) => p.id);
}

async function assertNotInSubtree(tx: TxCtx, id: string, parentId: string): Promise<void> {
  const [cycle] = await tx.db.execute<{ id: string }>(sql`
    with recursive down as (
      select id from ${categories} where id = ${id}
      union all
      select c.id from ${categories} c join down on c.parent_id = down.id
    )
    select id from down where id = ${parentId} limit 1`);
  if (cycle) {
    throw new AppError("CONFLICT", "A category cannot move under itself or one of its descendants", {
      errors: [{ path: "parentId", message: "This category is inside the one being moved" }],
    });
  }
}

/** Deletes a category with no subcategories and no products; CONFLICT otherwise. Staff, or catalog:write. */
export async function deleteCategory(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor, "catalog:write");
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const [current] = await tx.db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.id, id))
      .for("update");
    if (!current) throw new AppError("NOT_FOUND", "Category not found");
    const [used] = await tx.db.execute<{ children: boolean; products: boolean }>(sql`
      select exists (select 1 from ${categories} where parent_id = ${id}) as children,
             exists (select 1 from ${products} where category_id = ${id}) as products`);
    if (used?.children) throw new AppError("CONFLICT", "The category has subcategories: move or delete them first");
    if (used?.products)
      throw new AppError("CONFLICT", "The category has products: move them to another category first");
    await tx.db.delete(categories).where(eq(categories.id, id));
    tx.afterCommit(() => tx.cache.invalidateTags([CATEGORIES_TAG]));
  });
}
