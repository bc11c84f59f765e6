import { sql } from "drizzle-orm";
import { categories, collections } from "../db/schema";
import type { Ctx } from "../lib/context";
import { newId } from "../lib/ids";
import { inTransaction, type TxCtx } from "../lib/transaction";
import { ledgerActor, type NewLevel } from "../modules/catalog/levels";
import { productsChangedInTx } from "../modules/catalog/listing";
import { DEMO_COLLECTIONS } from "./collections";
import { CATALOG_SEED, type ProductSpec, productSpec } from "./product-specs";
import type { Progress } from "./progress";

export interface CatalogSeedOptions {
  /** How many products the catalog should hold: products 1..n of the seed, whichever are missing are added. */
  products: number;
  seed?: number;
}

/** Products written per transaction: large enough for multi-row inserts to pay, small enough to show progress. */
const MAX_BATCH = 1000;
const IN_FLIGHT = 2;

/**
 * The demo catalog's collections and products 1..n through the bulk path: each
 * batch is one transaction of multi-row inserts (unnest over arrays, a handful
 * of parameters per statement whatever the batch size) followed by the listing
 * refresh every product write calls. Products whose slug exists are skipped, so
 * running it again creates nothing and a larger n only adds the missing ones.
 */
export async function seedCatalog(
  ctx: Ctx,
  opts: CatalogSeedOptions,
  progress: Progress,
): Promise<{ created: number }> {
  const { ids: collectionIds, created: newCollections } = await seedCollections(ctx);
  const categoryPaths = await readCategoryPaths(ctx);
  const batch = Math.min(MAX_BATCH, Math.max(100, Math.ceil(opts.products / 20)));
  const [before] = await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from products`);
  const lookups = { categoryPaths, collectionIds };
  let created = 0;
  let done = 0;
  let next = 0;
  progress("products", 0, opts.products);
  const work = async () => {
    for (let start = next; start < opts.products; start = next) {
      next += batch;
      const indexes = Array.from({ length: Math.min(batch, opts.products - start) }, (_, i) => start + i);
      const specs = indexes.map((i) => ({ index: i, spec: productSpec(i, opts.seed ?? CATALOG_SEED) }));
      const written = await inTransaction(ctx, (tx) => insertProductsInTx(tx, specs, lookups));
      const size = (before?.n ?? 0) + created;
      created += written;
      done += indexes.length;
      progress("products", done, opts.products);
      // Statistics each time the catalog passes a power of ten: planned against tables it
      // thinks empty, the listing refresh reads every variant for every product.
      if (written > 0 && Math.floor(Math.log10(size + 1)) < Math.floor(Math.log10(size + written + 1))) {
        await analyzeCatalog(ctx);
      }
    }
  };
  // Two batches in flight: one builds its rows in JS while Postgres writes the other's.
  await Promise.all(Array.from({ length: IN_FLIGHT }, work));
  if (created > 0) await analyzeCatalog(ctx);
  return { created: created + newCollections };
}

const analyzeCatalog = (ctx: Ctx) =>
  ctx.db.execute(
    sql`analyze products, product_options, variants, product_images, collection_products, inventory_levels, inventory_ledger`,
  );

/** Each category slug's id and its path, the root first: what the listing's category_path holds. */
async function readCategoryPaths(ctx: Ctx): Promise<Map<string, string[]>> {
  const rows = await ctx.db
    .select({ id: categories.id, slug: categories.slug, parentId: categories.parentId })
    .from(categories);
  const byId = new Map(rows.map((c) => [c.id, c]));
  const pathOf = (id: string | null): string[] => {
    const c = id ? byId.get(id) : undefined;
    return c ? [...pathOf(c.parentId), c.id] : [];
  };
  return new Map(rows.map((c) => [c.slug, pathOf(c.id)]));
}

async function seedCollections(ctx: Ctx): Promise<{ ids: Map<string, string>; created: number }> {
  const inserted = await ctx.db
    .insert(collections)
    .values(DEMO_COLLECTIONS.map((c, position) => ({ id: newId(), ...c, position })))
    .onConflictDoNothing({ target: collections.slug })
    .returning({ id: collections.id });
  const rows = await ctx.db.select({ id: collections.id, slug: collections.slug }).from(collections);
  return { ids: new Map(rows.map((c) => [c.slug, c.id])), created: inserted.length };
}

interface Lookups {
  categoryPaths: Map<string, string[]>;
  collectionIds: Map<string, string>;
}

/** Writes the products of `specs` whose slug is not taken yet; answers how many it wrote. */
async function insertProductsInTx(
  tx: TxCtx,
  specs: { index: number; spec: ProductSpec }[],
  lookups: Lookups,
): Promise<number> {
  const slugs = specs.map((s) => s.spec.slug);
  const taken = new Set(
    (
      await tx.db.execute<{ slug: string }>(
        sql`select slug from products where slug = any(${sql.param(slugs)}::text[])`,
      )
    ).map((r) => r.slug),
  );
  const fresh = specs.filter((s) => !taken.has(s.spec.slug)).map((s) => ({ ...s, id: newId() }));
  if (fresh.length === 0) return 0;
  // A crash may lose the last batches' commits, which the next run writes again: no need to wait for each flush.
  await tx.db.execute(sql`set local synchronous_commit = off`);
  await insertProducts(tx, fresh, lookups);
  await insertOptions(tx, fresh);
  const variantIds = await insertVariants(tx, fresh);
  const levels = fresh.flatMap((p, i) =>
    p.spec.variants.map((v, j) => ({
      variantId: variantIds[i]?.[j] as string,
      onHand: v.onHand,
      lowStockThreshold: v.lowStockThreshold,
    })),
  );
  await insertLevels(tx, levels);
  await insertImages(tx, fresh);
  await insertMemberships(tx, fresh, lookups.collectionIds);
  await productsChangedInTx(
    tx,
    fresh.map((p) => p.id),
  );
  return fresh.length;
}

type Fresh = { index: number; spec: ProductSpec; id: string }[];

// Lists inside a row (tags, option values) travel as one string joined by a
// separator none of the seed's words contain, JSON objects and times as text
// (postgres.js serialises text and number arrays, not timestamptz or boolean ones).
const SEP = "|";

/**
 * Products with their listing already filled in from their specs, so that the
 * listing refresh (which still runs, and would correct any difference) finds
 * nothing to rewrite: a second version of every row would update each of the
 * products table's GIN indexes again.
 */
async function insertProducts(tx: TxCtx, fresh: Fresh, lookups: Lookups): Promise<void> {
  const rows = fresh.map((p) => ({ id: p.id, ...p.spec, ...listingOf(p.spec, lookups) }));
  const col = <T>(f: (r: (typeof rows)[number]) => T) => sql.param(rows.map(f));
  await tx.db.execute(sql`
    insert into products (id, slug, title, description, status, category_id, tags, metadata, created_at, updated_at,
                          min_price, max_price, compare_at_price, in_stock, option_values, category_path,
                          collection_ids, image_url, image_alt, variant_count)
    select id, slug, title, description, status, category_path[cardinality(category_path)], tags, metadata::jsonb,
           at::timestamptz, at::timestamptz, min_price, max_price, compare_at_price, in_stock_ = 1, option_values,
           category_path, collection_ids, image_url, image_alt, variant_count
    from (
      select t.*, string_to_array(tags_, ${SEP}) as tags, string_to_array(option_values_, ${SEP}) as option_values,
             string_to_array(category_path_, ${SEP})::uuid[] as category_path,
             string_to_array(collection_ids_, ${SEP})::uuid[] as collection_ids
      from unnest(
        ${col((r) => r.id)}::uuid[], ${col((r) => r.slug)}::text[], ${col((r) => r.title)}::text[],
        ${col((r) => r.description)}::text[], ${col((r) => r.status)}::text[], ${col((r) => r.tags.join(SEP))}::text[],
        ${col((r) => JSON.stringify(r.metadata))}::text[], ${col((r) => r.createdAt.toISOString())}::text[],
        ${col((r) => r.minPrice)}::int[], ${col((r) => r.maxPrice)}::int[], ${col((r) => r.compareAtPrice)}::int[],
        ${col((r) => (r.inStock ? 1 : 0))}::int[], ${col((r) => r.optionValues.join(SEP))}::text[],
        ${col((r) => r.categoryPath.join(SEP))}::text[], ${col((r) => r.collectionIds.join(SEP))}::text[],
        ${col((r) => r.imageUrl)}::text[], ${col((r) => r.imageAlt)}::text[], ${col((r) => r.variantCount)}::int[]
      ) as t(id, slug, title, description, status, tags_, metadata, at, min_price, max_price, compare_at_price,
             in_stock_, option_values_, category_path_, collection_ids_, image_url, image_alt, variant_count)
    ) t`);
}

/** What catalog/listing.ts derives for a product, computed from its spec the same way. */
function listingOf(spec: ProductSpec, lookups: Lookups) {
  const prices = spec.variants.map((v) => v.price);
  const minPrice = Math.min(...prices);
  // The cheapest variant (the first of them in position order), and its compare-at price if above its price.
  const cheapest = spec.variants.find((v) => v.price === minPrice);
  const optionValues = new Set(
    spec.variants.flatMap((v) => Object.entries(v.options).map(([k, value]) => `${k}=${value}`.toLowerCase())),
  );
  return {
    minPrice,
    maxPrice: Math.max(...prices),
    compareAtPrice: cheapest?.compareAtPrice && cheapest.compareAtPrice > minPrice ? cheapest.compareAtPrice : null,
    inStock: spec.variants.some((v) => v.onHand > 0),
    optionValues: [...optionValues].sort(),
    categoryPath: lookups.categoryPaths.get(spec.categorySlug) ?? [],
    collectionIds: spec.collections.map((slug) => lookups.collectionIds.get(slug) as string).sort(),
    imageUrl: spec.images[0]?.url ?? null,
    imageAlt: spec.images[0]?.alt ?? null,
    variantCount: spec.variants.length,
  };
}

async function insertOptions(tx: TxCtx, fresh: Fresh): Promise<void> {
  const rows = fresh.flatMap((p) => p.spec.options.map((o, position) => ({ productId: p.id, position, ...o })));
  if (rows.length === 0) return;
  await tx.db.execute(sql`
    insert into product_options (id, product_id, name, position, values)
    select id, product_id, name, position, string_to_array(vals, ${SEP})
    from unnest(
      ${sql.param(rows.map(() => newId()))}::uuid[], ${sql.param(rows.map((r) => r.productId))}::uuid[],
      ${sql.param(rows.map((r) => r.name))}::text[], ${sql.param(rows.map((r) => r.position))}::int[],
      ${sql.param(rows.map((r) => r.values.join(SEP)))}::text[]
    ) as t(id, product_id, name, position, vals)`);
}

/** Answers the new variants' ids, per product in `fresh`, in the order of its spec. */
async function insertVariants(tx: TxCtx, fresh: Fresh): Promise<string[][]> {
  const ids = fresh.map((p) => p.spec.variants.map(() => newId()));
  const rows = fresh.flatMap((p, i) =>
    p.spec.variants.map((v, position) => ({ id: ids[i]?.[position] as string, productId: p.id, position, ...v })),
  );
  const col = <T>(f: (r: (typeof rows)[number]) => T) => sql.param(rows.map(f));
  await tx.db.execute(sql`
    insert into variants (id, product_id, sku, title, price, compare_at_price, weight_grams, options, position, metadata,
                          created_at, updated_at)
    select id, product_id, sku, title, price, compare_at_price, weight_grams, options::jsonb, position, metadata::jsonb,
           now(), now()
    from unnest(
      ${col((r) => r.id)}::uuid[], ${col((r) => r.productId)}::uuid[], ${col((r) => r.sku)}::text[],
      ${col((r) => r.title)}::text[], ${col((r) => r.price)}::int[], ${col((r) => r.compareAtPrice)}::int[],
      ${col((r) => r.weightGrams)}::int[], ${col((r) => JSON.stringify(r.options))}::text[],
      ${col((r) => r.position)}::int[], ${col((r) => JSON.stringify(r.metadata))}::text[]
    ) as t(id, product_id, sku, title, price, compare_at_price, weight_grams, options, position, metadata)`);
  return ids;
}

async function insertImages(tx: TxCtx, fresh: Fresh): Promise<void> {
  const rows = fresh.flatMap((p) => p.spec.images.map((img, position) => ({ productId: p.id, position, ...img })));
  if (rows.length === 0) return;
  await tx.db.execute(sql`
    insert into product_images (id, product_id, url, alt, position)
    select * from unnest(
      ${sql.param(rows.map(() => newId()))}::uuid[], ${sql.param(rows.map((r) => r.productId))}::uuid[],
      ${sql.param(rows.map((r) => r.url))}::text[], ${sql.param(rows.map((r) => r.alt))}::text[],
      ${sql.param(rows.map((r) => r.position))}::int[]
    )`);
}

/**
 * createLevelsInTx's rows (a level and its opening `initial` ledger entry, so the
 * level equals its ledger's sum) as one statement over arrays: its row-by-row
 * parameters cost more than all the seed's other inserts together at 250,000 products.
 */
async function insertLevels(tx: TxCtx, levels: NewLevel[]): Promise<void> {
  await tx.db.execute(sql`
    with l as (
      select * from unnest(
        ${sql.param(levels.map((l) => l.variantId))}::uuid[], ${sql.param(levels.map((l) => l.onHand))}::int[],
        ${sql.param(levels.map((l) => l.lowStockThreshold ?? 0))}::int[], ${sql.param(levels.map(() => newId()))}::uuid[]
      ) as t(variant_id, on_hand, threshold, entry_id)
    ),
    level as (
      insert into inventory_levels (variant_id, on_hand, low_stock_threshold)
      select variant_id, on_hand, threshold from l
    )
    insert into inventory_ledger (id, variant_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after,
                                  reason, actor)
    select entry_id, variant_id, 'initial', on_hand, 0, on_hand, 0, 'opening stock', ${ledgerActor(tx)} from l`);
}

/** Collection order follows the catalog's: product n sits at position n in each collection it joins. */
async function insertMemberships(tx: TxCtx, fresh: Fresh, collectionIds: Map<string, string>): Promise<void> {
  const rows = fresh.flatMap((p) =>
    p.spec.collections.map((slug) => ({
      collectionId: collectionIds.get(slug) as string,
      productId: p.id,
      position: p.index,
    })),
  );
  if (rows.length === 0) return;
  await tx.db.execute(sql`
    insert into collection_products (collection_id, product_id, position)
    select * from unnest(
      ${sql.param(rows.map((r) => r.collectionId))}::uuid[], ${sql.param(rows.map((r) => r.productId))}::uuid[],
      ${sql.param(rows.map((r) => r.position))}::int[]
    )`);
}
