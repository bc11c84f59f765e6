import { createHash } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { Cache } from "../../lib/cache";
import type {
  CatalogSearch,
  FacetCount,
  SearchAnswer,
  SearchFacets,
  SearchRequest,
  SearchSort,
} from "../../lib/catalog-search";
import { PRODUCT_LISTS_TAG, productFilterSql } from "../catalog/service";
import { MAX_FACET_VALUES, PRICE_BUCKET_EDGES, priceBuckets } from "./facets";

/**
 * Search on Postgres alone: the products table is the index (its generated,
 * weighted `search_vector`: title over description), so there is nothing to
 * apply and it is as fresh as the database. Two statements in a transaction
 * of their own (for its settings): the shopper's words with their corrections,
 * then the ranked page and its facets.
 */
export class PostgresSearch implements CatalogSearch {
  readonly name = "postgres";

  constructor(
    private readonly db: Db,
    private readonly cache: Cache,
    /** Facets count at most this many matches, the best first (SearchFacets.exhaustive). */
    private readonly maxFaceted = MAX_FACETED,
  ) {}

  /**
   * Answers are cached under the list pages' tag: every write that changes what
   * a search reads (words, status, prices, stock crossing zero, categories)
   * invalidates it when it commits, and this index is the database itself, so
   * a cached answer is never behind it. The cards are read fresh by the caller.
   */
  search(request: SearchRequest): Promise<SearchAnswer> {
    const key = createHash("sha256").update(JSON.stringify(request)).digest("base64url");
    return this.cache.wrap(`search:${key}`, { tags: [PRODUCT_LISTS_TAG] }, () => this.answer(request));
  }

  private answer(request: SearchRequest): Promise<SearchAnswer> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`
        select
          -- Postgres prices \`@@\` per row far below its cost, so it would rather read every product than
          -- the GIN index once a word matches a few percent of them: a seq scan ran 3-5 times slower
          -- than the index on 50,000 products, even where the word matched 30% of them.
          set_config('enable_seqscan', 'off', true),
          -- "iphnoe" is only 0.27 similar to "iphone": under pg_trgm's default of 0.3.
          set_config('pg_trgm.similarity_threshold', ${String(SIMILARITY)}, true)`);
      const query = await tsqueryOf(tx, request.q);
      if (query === null) return { ids: [], more: false, facets: facetsOf([], true) };
      const [row] = await tx.execute<{ ids: string[]; facets: FacetRow[] | null; exhaustive: boolean }>(
        matchStatement(query, request, request.facets ?? true, this.maxFaceted),
      );
      const ids = row?.ids ?? [];
      return {
        ids: ids.slice(0, request.limit),
        more: ids.length > request.limit,
        facets: facetsOf(row?.facets ?? [], row?.exhaustive ?? true),
      };
    });
  }

  /** The products table is this engine's index: nothing to apply. */
  async apply(): Promise<void> {}

  async health(): Promise<{ status: "ok" }> {
    return { status: "ok" };
  }
}

/**
 * The words as a tsquery: each word matches as a prefix ("iph" finds iPhone),
 * and a word no product's word begins with also matches its nearest known
 * words (search_terms) within a few edits ("iphnoe" finds iPhone). Every word
 * must match. Null when q holds no word at all.
 */
async function tsqueryOf(db: Db, q: string): Promise<string | null> {
  const words = await db.execute<{ word: string; fixes: string[] }>(sql`
    select w.word, coalesce(f.terms, '{}') as fixes
    from unnest(tsvector_to_array(to_tsvector('simple', ${q}))) as w(word)
    cross join lateral (select ${editsFor(sql`w.word`)} as edits) e
    left join lateral (
      -- Every near word, not only the nearest: "pihone" is one edit from "phone" and two from "iphone".
      select array_agg(c.term order by c.term) as terms
      from (
        select c.term from (
          select s.term, least(
            levenshtein_less_equal(s.term, w.word, e.edits),
            -- A typo in a word not finished yet: "iphn" is one edit from "ipho", iPhone's start.
            levenshtein_less_equal(left(s.term, length(w.word)), w.word, e.edits)
          ) as distance
          from search_terms s
          -- Checked before the index is read (a one-time filter): a known word, or the start of one,
          -- is taken as the shopper typed it.
          where e.edits > 0
            and not exists (
              select 1 from search_terms k where k.term ~>=~ w.word and k.term ~<=~ (w.word || chr(1114111))
            )
            and s.term % w.word
        ) c
        -- The shorter word sets the budget: "camrea" is two edits from "care", which is too short for two.
        where c.distance <= least(e.edits, ${editsFor(sql`c.term`)})
        order by c.distance, c.term
        limit ${MAX_FIXES}
      ) c
    ) f on true`);
  if (words.length === 0) return null;
  return words.map((w) => `(${[`${lexeme(w.word)}:*`, ...w.fixes.map(lexeme)].join(" | ")})`).join(" & ");
}

/**
 * The trigram similarity a word must have to be weighed as a correction: low
 * enough for two edits in a five-letter word ("shrit" and "shirt" share 2 of 10
 * trigrams), the edit distance deciding after.
 */
const SIMILARITY = 0.19;

/** How many of the best matches facets count (SearchFacets.exhaustive). */
const MAX_FACETED = 1000;

/** At most this many corrections per word, the nearest first. */
const MAX_FIXES = 8;

/** The edits a word may be away from a known word: none under four letters (too many near misses), then one, then two (a swap of two letters is two). */
const editsFor = (word: SQL) => sql`case when length(${word}) >= 5 then 2 when length(${word}) = 4 then 1 else 0 end`;

/** A lexeme quoted for tsquery input: taken as it is, never parsed as operators. */
const lexeme = (word: string) => `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;

const ORDER: Record<SearchSort, SQL> = {
  // Title words weigh 1.0 and description words 0.4 (ts_rank's default weights for A and B).
  relevance: sql`rank desc, created_at desc, id desc`,
  newest: sql`created_at desc, id desc`,
  price_asc: sql`min_price asc, id asc`,
  price_desc: sql`min_price desc, id desc`,
  title: sql`title asc, id asc`,
};

type FacetRow = [kind: "category" | "option" | "tag" | "price" | "stock", value: string, count: number];

/** One page of ids (limit + 1, so the extra says another page exists) and, if asked, the facets over every match. */
function matchStatement(query: string, request: SearchRequest, withFacets: boolean, maxFaceted: number): SQL {
  const filters = sql.join(productFilterSql(request.filters), sql` and `);
  const rank = request.sort === "relevance" ? sql`ts_rank(search_vector, q.query)` : sql`0::real`;
  const facets = withFacets
    ? sql`(
        select json_agg(json_build_array(kind, value, count)) from (
          select 'category' as kind, c::text as value, count(*)::int as count
            from faceted, unnest(category_path) c group by c
          union all select 'option', o, count(*)::int from faceted, unnest(option_values) o group by o
          union all select 'tag', g, count(*)::int from faceted, unnest(tags) g group by g
          union all select 'price', (width_bucket(min_price, ${sql.param([...PRICE_BUCKET_EDGES])}::int[]) - 1)::text,
            count(*)::int from faceted group by 2
          union all select 'stock', in_stock::text, count(*)::int from faceted group by in_stock
        ) f
      )`
    : sql`null::json`;
  return sql`
    with q as (select ${query}::tsquery as query),
    matched as materialized (
      select products.id, products.created_at, products.min_price, products.title, products.in_stock,
             products.category_path, products.option_values, products.tags, ${rank} as rank
      from products, q
      where products.search_vector @@ q.query and ${filters}
    ),
    faceted as (select * from matched order by ${ORDER[request.sort]} limit ${maxFaceted}),
    page as (
      select id, row_number() over (order by ${ORDER[request.sort]}) as n
      from matched order by ${ORDER[request.sort]}
      limit ${request.limit + 1} offset ${(request.page - 1) * request.limit}
    )
    select coalesce((select array_agg(id order by n) from page), '{}') as ids, ${facets} as facets,
      not exists (select 1 from matched offset ${maxFaceted}) as exhaustive`;
}

/** The facet rows as the port's shape, each list most frequent first, then by value. */
function facetsOf(rows: FacetRow[], exhaustive: boolean): SearchFacets {
  const lists = { category: [] as FacetCount[], tag: [] as FacetCount[] };
  const options: Record<string, FacetCount[]> = {};
  const buckets = new Map<number, number>();
  const stock = { inStock: 0, outOfStock: 0 };
  for (const [kind, value, count] of rows) {
    if (kind === "category" || kind === "tag") lists[kind].push({ value, count });
    else if (kind === "price") buckets.set(Number(value), count);
    else if (kind === "stock") stock[value === "true" ? "inStock" : "outOfStock"] = count;
    else {
      const at = value.indexOf("=");
      const name = value.slice(0, at);
      options[name] = [...(options[name] ?? []), { value: value.slice(at + 1), count }];
    }
  }
  return {
    categories: top(lists.category),
    priceBuckets: priceBuckets((i) => buckets.get(i) ?? 0),
    inStock: stock,
    options: Object.fromEntries(Object.entries(options).map(([name, values]) => [name, top(values)])),
    tags: top(lists.tag),
    exhaustive,
  };
}

const top = (counts: FacetCount[]) =>
  counts
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, MAX_FACET_VALUES);
