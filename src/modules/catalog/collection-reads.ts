import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { collections } from "../../db/schema";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { isoText } from "../../lib/sql-iso";
import { COLLECTIONS_TAG } from "./cache-tags";
import { decodeCollectionCursor, encodeCollectionCursor } from "./product-cursor";
import type { Collection } from "./schemas";
import { type CollectionPage, GetCollectionInput, ListCollectionsInput } from "./storefront-schemas";

const collectionColumns = {
  id: collections.id,
  slug: collections.slug,
  title: collections.title,
  description: collections.description,
  position: collections.position,
  createdAt: isoText(collections.createdAt),
  updatedAt: isoText(collections.updatedAt),
};

/** One page of collections in the merchant's order (position, then title), cached until a collection changes. */
export async function listCollections(ctx: Ctx, raw: z.input<typeof ListCollectionsInput>): Promise<CollectionPage> {
  const input = ListCollectionsInput.parse(raw);
  const from = input.cursor === undefined ? undefined : decodeCollectionCursor(input.cursor);
  const key = `catalog:collections:${input.limit}:${input.cursor ?? ""}`;
  return ctx.cache.wrap(key, { tags: [COLLECTIONS_TAG] }, async () => {
    const rows = await ctx.db
      .select(collectionColumns)
      .from(collections)
      // The order of collections_position_idx, so a page is one index range.
      .where(
        from &&
          sql`(${collections.position}, ${collections.title}, ${collections.id}) > (${from.p}::int, ${from.t}::text, ${from.i}::uuid)`,
      )
      .orderBy(asc(collections.position), asc(collections.title), asc(collections.id))
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > input.limit && last
          ? encodeCollectionCursor({ p: last.position, t: last.title, i: last.id })
          : null,
    };
  });
}

/** One collection by id or slug; its products are the product list filtered by `collectionId`. */
export async function getCollection(ctx: Ctx, raw: z.input<typeof GetCollectionInput>): Promise<Collection> {
  const { idOrSlug } = GetCollectionInput.parse(raw);
  const byId = isUuid(idOrSlug);
  const where = byId ? eq(collections.id, idOrSlug) : eq(collections.slug, idOrSlug);
  const found = await ctx.cache.wrap(
    `catalog:collection:${byId ? idOrSlug.toLowerCase() : idOrSlug}`,
    { tags: [COLLECTIONS_TAG] },
    async () => {
      const [row] = await ctx.db.select(collectionColumns).from(collections).where(where);
      return row ?? null;
    },
  );
  if (!found) throw new AppError("NOT_FOUND", "Collection not found");
  return found;
}
