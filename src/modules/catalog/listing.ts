import { sql } from "drizzle-orm";
import { PREPARED } from "../../db/client";
import { enqueue } from "../../jobs/enqueue";
import type { TxCtx } from "../../lib/transaction";
import { PRODUCT_LISTS_TAG, productTag } from "./cache-tags";
import { syncSearchIndexJob } from "./jobs";

export interface ProductsChange {
  /**
   * Only stock moved: list pages are invalidated only when a product's listing
   * changed with it (in stock flipped), not at every sale. Otherwise they always are
   * (a title, status, tag or description change shows on cards and filters).
   */
  stockOnly?: boolean;
  /**
   * With `stockOnly`: the products a variant of which went from available to sold out or back.
   * Only their `in_stock` can have changed (any variant available still is, or none still is),
   * so only they are locked and recomputed; the others' pages are still invalidated. All, unless given.
   */
  crossedZero?: readonly string[];
}

/**
 * What every write that changes products calls, in its transaction, once per
 * batch: rewrites their listing columns (db/schema/catalog.ts), queues them for
 * the search index, and after the commit invalidates their detail pages and the
 * list pages.
 *
 * `productIds` may hold deleted products: they leave the index and the caches.
 */
export async function productsChangedInTx(
  tx: TxCtx,
  productIds: readonly string[],
  change: ProductsChange = {},
): Promise<void> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return;
  const relisted = change.stockOnly
    ? await restockListingsInTx(tx, [...new Set(change.crossedZero ?? ids)])
    : await refreshListingsInTx(tx, ids);
  // A search document holds stock only as `in_stock`, a listing column: a sale that leaves every
  // listing as it was changes nothing there, and queues nothing (the queued job's row is one for
  // every writer, which each checkout would otherwise wait on).
  const indexed = change.stockOnly ? relisted : ids;
  if (indexed.length > 0) {
    await tx.db.execute(sql`
      insert into product_changes (product_id, changed_at)
      select unnest(${sql.param(indexed)}::uuid[]), now()
      on conflict (product_id) do update set changed_at = excluded.changed_at`);
    await enqueue(tx, syncSearchIndexJob, {}, { jobKey: syncSearchIndexJob.name });
  }
  // The Postgres search's dictionary of words (db/schema/search.ts), fresh without the worker; stock moves no word.
  if (!change.stockOnly) {
    await tx.db.execute(sql`
      insert into search_terms (term)
      select distinct w.term
      from products p, unnest(tsvector_to_array(p.search_vector)) as w(term)
      where p.id = any(${sql.param(ids)}::uuid[]) and p.status = 'active' and length(w.term) <= 40
      on conflict do nothing`);
  }
  const lists = !change.stockOnly || relisted.length > 0;
  tx.afterCommit(() => tx.cache.invalidateTags([...ids.map(productTag), ...(lists ? [PRODUCT_LISTS_TAG] : [])]));
}

/**
 * Locks the products whose listing is recomputed next, in a statement of its own: the next
 * statement's snapshot is taken after every writer that held them committed, so it reads their
 * changes too (a lock taken inside the recomputing statement would leave it its older snapshot).
 * NO KEY UPDATE, in id order: order lines hold KEY SHARE locks on their products (the foreign
 * key), which FOR UPDATE would wait on, deadlocking checkouts that reserve the same products;
 * and two writers lock their products in the same order, so they queue.
 */
async function lockProductsInTx(tx: TxCtx, ids: string[]): Promise<void> {
  await tx.db.execute(sql`${PREPARED}
    select p.id from products p where p.id = any(${sql.param(ids)}::uuid[]) order by p.id for no key update of p`);
}

/** A product is in stock while any of its variants has a unit available (`l`: their inventory levels). */
const ANY_AVAILABLE = sql.raw("coalesce(bool_or(l.on_hand > l.reserved), false)");

/** After stock moved (a sale, a reservation, a restock): of a listing only `in_stock` can change. Answers the ids whose `in_stock` flipped. */
async function restockListingsInTx(tx: TxCtx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  await lockProductsInTx(tx, ids);
  const rows = await tx.db.execute<{ id: string }>(sql`${PREPARED}
    update products p set in_stock = s.in_stock
    from (
      select va.product_id, ${ANY_AVAILABLE} as in_stock
      from variants va left join inventory_levels l on l.variant_id = va.id
      where va.product_id = any(${sql.param(ids)}::uuid[])
      group by va.product_id
    ) s
    where p.id = s.product_id and p.in_stock is distinct from s.in_stock
    returning p.id`);
  return rows.map((r) => r.id);
}

/**
 * Recomputes the listing of these products from their variants, stock, images,
 * category and collections; answers the ids whose listing changed (a product
 * deleted since counts as changed, as lists showed it).
 */
async function refreshListingsInTx(tx: TxCtx, ids: string[]): Promise<string[]> {
  await lockProductsInTx(tx, ids);
  const rows = await tx.db.execute<{ id: string }>(sql`
    with target as (
      -- Locked already (lockProductsInTx).
      select p.id, p.category_id from products p where p.id = any(${sql.param(ids)}::uuid[])
    ),
    listing as (
      select
        t.id,
        coalesce(v.min_price, 0) as min_price,
        coalesce(v.max_price, 0) as max_price,
        v.compare_at_price,
        coalesce(v.in_stock, false) as in_stock,
        coalesce(v.option_values, '{}'::text[]) as option_values,
        coalesce(v.variant_count, 0) as variant_count,
        i.url as image_url,
        i.alt as image_alt,
        coalesce(c.path, '{}'::uuid[]) as category_path,
        coalesce(cp.ids, '{}'::uuid[]) as collection_ids
      from target t
      left join lateral (
        select
          min(va.price) as min_price,
          max(va.price) as max_price,
          -- The cheapest variant's compare-at price, when it is above its price.
          (array_agg(case when va.compare_at_price > va.price then va.compare_at_price end
                     order by va.price, va.position, va.id))[1] as compare_at_price,
          ${ANY_AVAILABLE} as in_stock,
          array(
            select distinct lower(o.key) || '=' || lower(o.value)
            from variants vo, jsonb_each_text(vo.options) o
            where vo.product_id = t.id
            order by 1
          ) as option_values,
          count(*)::int as variant_count
        from variants va
        left join inventory_levels l on l.variant_id = va.id
        where va.product_id = t.id
      ) v on true
      left join lateral (
        select pi.url, pi.alt from product_images pi
        where pi.product_id = t.id order by pi.position, pi.id limit 1
      ) i on true
      left join lateral (
        with recursive up as (
          select c0.id, c0.parent_id, 0 as depth from categories c0 where c0.id = t.category_id
          union all
          select c1.id, c1.parent_id, up.depth + 1 from categories c1 join up on c1.id = up.parent_id
        )
        select array_agg(up.id order by up.depth desc) as path from up
      ) c on true
      left join lateral (
        select array_agg(cpr.collection_id order by cpr.collection_id) as ids
        from collection_products cpr where cpr.product_id = t.id
      ) cp on true
    ),
    changed as (
      update products p set
        min_price = l.min_price,
        max_price = l.max_price,
        compare_at_price = l.compare_at_price,
        in_stock = l.in_stock,
        option_values = l.option_values,
        variant_count = l.variant_count,
        image_url = l.image_url,
        image_alt = l.image_alt,
        category_path = l.category_path,
        collection_ids = l.collection_ids
      from listing l
      where p.id = l.id
        and (p.min_price, p.max_price, p.compare_at_price, p.in_stock, p.option_values, p.variant_count,
             p.image_url, p.image_alt, p.category_path, p.collection_ids)
          is distinct from
            (l.min_price, l.max_price, l.compare_at_price, l.in_stock, l.option_values, l.variant_count,
             l.image_url, l.image_alt, l.category_path, l.collection_ids)
      returning p.id
    )
    select id from changed
    union all
    select gone.id from unnest(${sql.param(ids)}::uuid[]) as gone(id) where not exists (select 1 from target t where t.id = gone.id)`);
  return rows.map((r) => r.id);
}
