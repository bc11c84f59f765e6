import type { Db } from "../../db/client";
import { activeDocumentsAfter, countActiveProducts } from "./documents";
import { collectionSchema, type TypesenseSearch } from "./typesense-search";

export interface ReindexResult {
  collection: string;
  /** What the alias pointed to before, now dropped; null on a first index. */
  previous: string | null;
  indexed: number;
}

/**
 * Builds a new collection from every active product, then points the alias at
 * it and drops the old one: searches read the old collection until the swap, so
 * nothing is ever half-indexed (zero downtime). While it builds, the building
 * alias names it, and index updates go to both (TypesenseSearch.apply), so a
 * change made during the build is not lost when the alias moves.
 */
export async function reindexTypesense(
  db: Db,
  typesense: TypesenseSearch,
  onProgress: (done: number, total: number) => void | Promise<void> = () => {},
  batch = 500,
): Promise<ReindexResult> {
  const { client, alias, buildingAlias } = typesense;
  const total = await countActiveProducts(db);
  const collection = `${alias}_${Date.now()}`;
  await client.collections().create(collectionSchema(collection));
  try {
    await client.aliases().upsert(buildingAlias, { collection_name: collection });
    let indexed = 0;
    let after: string | null = null;
    await onProgress(0, total);
    for (;;) {
      const upserted = await activeDocumentsAfter(db, after, batch);
      if (upserted.length === 0) break;
      await typesense.applyTo(collection, { upserted, removed: [] });
      indexed += upserted.length;
      after = upserted.at(-1)?.id ?? null;
      await onProgress(indexed, Math.max(total, indexed));
    }
    const previous = await typesense.aliasTarget(alias);
    await client.aliases().upsert(alias, { collection_name: collection });
    await client.aliases(buildingAlias).delete();
    if (previous !== null && previous !== collection) await client.collections(previous).delete();
    return { collection, previous, indexed };
  } catch (err) {
    // The live alias still points to the old collection: drop the half-built one.
    await client
      .aliases(buildingAlias)
      .delete()
      .catch(() => {});
    await client
      .collections(collection)
      .delete()
      .catch(() => {});
    throw err;
  }
}
