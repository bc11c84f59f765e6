import { asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { collectionProducts, collections, products } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { after, newestFirst, pageKey, toPage } from "../../lib/pagination";
import { slugify } from "../../lib/slug";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import {
  type CollectionPage,
  type CollectionProducts,
  CreateCollectionInput,
  ListCollectionsInput,
  SetCollectionProductsInput,
  UpdateCollectionInput,
} from "./admin-schemas";
import { COLLECTIONS_TAG, productTag } from "./cache-tags";
import { productsChangedInTx } from "./listing";
import type { Collection } from "./schemas";

type CollectionRow = typeof collections.$inferSelect;

const toCollection = (row: CollectionRow): Collection => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

// After the commit: a reader in between would cache the old collection under the new version.
const invalidateCollections = (tx: TxCtx) => tx.afterCommit(() => tx.cache.invalidateTags([COLLECTIONS_TAG]));

/** Every collection, newest first. Staff, or catalog:read. */
export async function listAdminCollections(
  ctx: Ctx,
  raw: z.input<typeof ListCollectionsInput>,
): Promise<CollectionPage> {
  requireStaff(ctx.actor, "catalog:read");
  const input = ListCollectionsInput.parse(raw);
  const rows = await ctx.db
    .select({ row: collections, id: collections.id, pageKey: pageKey(collections) })
    .from(collections)
    .where(after(collections, input.cursor))
    .orderBy(...newestFirst(collections))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, (r) => toCollection(r.row));
}

/** Creates an empty collection; its products are set with setCollectionProducts. Staff, or catalog:write. */
export async function createCollection(ctx: Ctx, raw: z.input<typeof CreateCollectionInput>): Promise<Collection> {
  requireStaff(ctx.actor, "catalog:write");
  const input = CreateCollectionInput.parse(raw);
  const slug = input.slug ?? slugify(input.title);
  if (!slug) {
    throw new AppError("VALIDATION_FAILED", "A slug cannot be made from this title", {
      errors: [{ path: "slug", message: "Give a slug of letters or digits" }],
    });
  }
  return inTransaction(ctx, async (tx) => {
    // A slug another collection has is CONFLICT naming `slug` (collections_slug_unique).
    const [row] = await tx.db
      .insert(collections)
      .values({ ...input, id: newId(), slug })
      .returning();
    invalidateCollections(tx);
    return toCollection(row as CollectionRow);
  });
}

/** Changes a collection's title, slug, description or position. Staff, or catalog:write. */
export async function updateCollection(ctx: Ctx, raw: z.input<typeof UpdateCollectionInput>): Promise<Collection> {
  requireStaff(ctx.actor, "catalog:write");
  const { id, ...change } = UpdateCollectionInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.db
      .update(collections)
      .set({ ...change, updatedAt: sql`now()` })
      .where(eq(collections.id, id))
      .returning();
    if (!row) throw new AppError("NOT_FOUND", "Collection not found");
    // Product pages name their collections; nothing listed or indexed changes (collection_ids hold ids).
    const members = await memberIdsInTx(tx, id);
    tx.afterCommit(() => tx.cache.invalidateTags([COLLECTIONS_TAG, ...members.map(productTag)]));
    return toCollection(row);
  });
}

/** Deletes a collection; its products stay, outside it. Staff, or catalog:write. */
export async function deleteCollection(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor, "catalog:write");
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const members = await memberIdsInTx(tx, id);
    const gone = await tx.db.delete(collections).where(eq(collections.id, id)).returning({ id: collections.id });
    if (gone.length === 0) throw new AppError("NOT_FOUND", "Collection not found");
    await productsChangedInTx(tx, members);
    invalidateCollections(tx);
  });
}

/**
 * Replaces a collection's products with these, in this order (the display order). Unknown
 * product ids are 400 naming `productIds.<i>`. Staff, or catalog:write.
 */
export async function setCollectionProducts(
  ctx: Ctx,
  raw: z.input<typeof SetCollectionProductsInput>,
): Promise<CollectionProducts> {
  requireStaff(ctx.actor, "catalog:write");
  const { id, productIds } = SetCollectionProductsInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    const [found] = await tx.db
      .select({ id: collections.id })
      .from(collections)
      .where(eq(collections.id, id))
      .for("update");
    if (!found) throw new AppError("NOT_FOUND", "Collection not found");
    await assertProductsExistInTx(tx, productIds);
    const before = await memberIdsInTx(tx, id);
    await tx.db.delete(collectionProducts).where(eq(collectionProducts.collectionId, id));
    if (productIds.length > 0) {
      await tx.db
        .insert(collectionProducts)
        .values(productIds.map((productId, position) => ({ collectionId: id, productId, position })));
    }
    // Those that left and those that joined: each one's collection_ids changes.
    await productsChangedInTx(tx, [...before, ...productIds]);
    invalidateCollections(tx);
    return { collectionId: id, productIds };
  });
}

async function memberIdsInTx(tx: TxCtx, collectionId: string): Promise<string[]> {
  const rows = await tx.db
    .select({ productId: collectionProducts.productId })
    .from(collectionProducts)
    .where(eq(collectionProducts.collectionId, collectionId))
    .orderBy(asc(collectionProducts.position));
  return rows.map((r) => r.productId);
}

async function assertProductsExistInTx(tx: TxCtx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx.db
    .select({ id: products.id })
    .from(products)
    .where(inArray(products.id, [...ids]));
  const known = new Set(found.map((p) => p.id));
  const errors = ids.flatMap((pid, i) =>
    known.has(pid) ? [] : [{ path: `productIds.${i}`, message: "No product has this id" }],
  );
  if (errors.length > 0) {
    throw new AppError("VALIDATION_FAILED", `Invalid input: ${errors.map((e) => e.path).join(", ")}`, { errors });
  }
}
