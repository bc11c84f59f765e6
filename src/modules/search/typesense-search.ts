import { Client, Errors } from "typesense";
import type { CollectionCreateSchema } from "typesense/lib/Typesense/Collections";
import type { SearchParams } from "typesense/lib/Typesense/Documents";
import {
  type CatalogSearch,
  type FacetCount,
  PRICE_BUCKETS,
  type ProductFilters,
  type SearchAnswer,
  type SearchDocument,
  type SearchRequest,
  type SearchSort,
} from "../../lib/catalog-search";

export interface TypesenseOptions {
  url: string;
  apiKey: string;
  /** The alias searches and index updates go through (default `products`); reindexing swaps what it points to. */
  alias?: string;
  /** Per request. Short: a search that waits for an away Typesense keeps a shopper waiting (fallback-search.ts). */
  timeoutSeconds?: number;
}

/** What `filter_by` cannot say safely: answered elsewhere (the fallback asks Postgres) without calling Typesense away. */
export class NotExpressible extends Error {}

/** The indexed product (documents.ts) as Typesense stores it: every filter, facet and sort has its field. */
export const productFields = [
  { name: "title", type: "string", sort: true },
  { name: "description", type: "string" },
  { name: "slug", type: "string", index: false, optional: true },
  { name: "tags", type: "string[]", facet: true },
  { name: "category_path", type: "string[]", facet: true },
  { name: "collection_ids", type: "string[]" },
  { name: "option_values", type: "string[]", facet: true },
  { name: "variant_prices", type: "int32[]" },
  { name: "min_price", type: "int32", facet: true },
  { name: "max_price", type: "int32" },
  { name: "in_stock", type: "bool", facet: true },
  { name: "created_at", type: "int64" },
] as const satisfies CollectionCreateSchema["fields"];

export const collectionSchema = (name: string): CollectionCreateSchema => ({
  name,
  fields: [...productFields],
  default_sorting_field: "created_at",
});

type Indexed = Record<(typeof productFields)[number]["name"], unknown> & { id: string };

const toIndexed = (d: SearchDocument): Indexed => ({
  id: d.id,
  title: d.title,
  description: d.description,
  slug: d.slug,
  tags: d.tags,
  category_path: d.categoryPath,
  collection_ids: d.collectionIds,
  option_values: d.optionValues,
  variant_prices: d.variantPrices,
  min_price: d.minPrice,
  max_price: d.maxPrice,
  in_stock: d.inStock,
  created_at: d.createdAt,
});

// Ties fall back to the newest, as the product list does.
const SORTS: Record<SearchSort, string> = {
  relevance: "_text_match:desc,created_at:desc",
  newest: "created_at:desc",
  price_asc: "min_price:asc,created_at:desc",
  price_desc: "min_price:desc,created_at:desc",
  title: "title:asc,created_at:desc",
};

// Typesense's range facets are [from, to): an inclusive top of 999 is `to` 1000. Labels must be alphanumeric.
const PRICE_FACET = `min_price(${PRICE_BUCKETS.map((b, i) => `p${i}:[${b.min}, ${b.max === null ? "" : b.max + 1}]`).join(", ")})`;
const FACET_BY = `category_path,tags,option_values,in_stock,${PRICE_FACET}`;
/** Enough values for a category tree and an option's values on one facet panel. */
const MAX_FACET_VALUES = 250;
/** Ids per delete: they travel in the query string. */
const DELETE_BATCH = 100;

/** A value as `filter_by` reads it: in backticks, so commas, spaces and `&&` stay part of it. */
function quoted(value: string): string {
  if (value.includes("`")) throw new NotExpressible("a filter value holds a backtick");
  return `\`${value}\``;
}

/** The list filters (product-filters.ts) in `filter_by`: the same products, on the indexed copy of the listing. */
export function filterBy(filters: ProductFilters): string {
  const parts: string[] = [];
  if (filters.categoryId) parts.push(`category_path:=${quoted(filters.categoryId)}`);
  if (filters.collectionId) parts.push(`collection_ids:=${quoted(filters.collectionId)}`);
  if (filters.tag !== undefined) parts.push(`tags:=${quoted(filters.tag)}`);
  for (const [name, value] of Object.entries(filters.options ?? {})) {
    parts.push(`option_values:=${quoted(`${name}=${value}`)}`);
  }
  if (filters.inStock !== undefined) parts.push(`in_stock:=${filters.inStock}`);
  if (filters.minPrice !== undefined || filters.maxPrice !== undefined) {
    // Inclusive on any variant's price: an array field matches when one element is in range.
    parts.push(`variant_prices:[${filters.minPrice ?? 0}..${filters.maxPrice ?? 2_147_483_647}]`);
  }
  return parts.join(" && ");
}

export function searchParams(req: SearchRequest): SearchParams<Indexed> {
  const filter = filterBy(req.filters);
  return {
    q: req.q,
    // Title over description, as the Postgres adapter weighs them.
    query_by: "title,description",
    query_by_weights: "2,1",
    num_typos: "2,1",
    prefix: "true,true",
    ...(filter && { filter_by: filter }),
    sort_by: SORTS[req.sort],
    facet_by: FACET_BY,
    max_facet_values: MAX_FACET_VALUES,
    per_page: req.limit,
    page: req.page,
    include_fields: "id",
  };
}

/** The CatalogSearch port on Typesense, through its official client. */
export class TypesenseSearch implements CatalogSearch {
  readonly name = "typesense";
  readonly client: Client;
  readonly alias: string;
  /** Where a reindex builds its collection: index updates go there too, so none is lost before the swap. */
  readonly buildingAlias: string;
  private ready: Promise<void> | null = null;

  constructor(opts: TypesenseOptions) {
    const url = new URL(opts.url);
    this.alias = opts.alias ?? "products";
    this.buildingAlias = `${this.alias}_building`;
    const timeout = opts.timeoutSeconds ?? 2;
    this.client = new Client({
      nodes: [{ url: url.origin + url.pathname.replace(/\/$/, "") }],
      apiKey: opts.apiKey,
      connectionTimeoutSeconds: timeout,
      // One retry, soon: the fallback answers from Postgres rather than keep a shopper waiting.
      numRetries: 1,
      retryIntervalSeconds: 0.1,
      healthcheckIntervalSeconds: 2,
      logLevel: "silent",
    });
  }

  async search(req: SearchRequest): Promise<SearchAnswer> {
    const res = await this.client.collections<Indexed>(this.alias).documents().search(searchParams(req));
    const counts = (field: string): FacetCount[] =>
      (res.facet_counts ?? [])
        .find((f) => f.field_name === field)
        ?.counts.map((c) => ({ value: String(c.value), count: c.count })) ?? [];
    const options: Record<string, FacetCount[]> = {};
    for (const { value, count } of counts("option_values")) {
      const at = value.indexOf("=");
      const name = value.slice(0, at);
      options[name] = [...(options[name] ?? []), { value: value.slice(at + 1), count }];
    }
    const stock = new Map(counts("in_stock").map((c) => [c.value, c.count]));
    const buckets = new Map(counts("min_price").map((c) => [c.value, c.count]));
    return {
      ids: (res.hits ?? []).map((h) => h.document.id),
      more: res.found > req.page * req.limit,
      facets: {
        categories: counts("category_path"),
        priceBuckets: PRICE_BUCKETS.map((b, i) => ({ ...b, count: buckets.get(`p${i}`) ?? 0 })),
        inStock: { inStock: stock.get("true") ?? 0, outOfStock: stock.get("false") ?? 0 },
        options,
        tags: counts("tags"),
        exhaustive: true,
      },
    };
  }

  async apply(change: { upserted: SearchDocument[]; removed: string[] }): Promise<void> {
    await this.ensureCollection();
    try {
      for (const target of await this.writeTargets()) await this.applyTo(target, change);
    } catch (err) {
      // The alias or its collection went away (dropped by hand): the job's retry makes them again.
      if (err instanceof Errors.ObjectNotFound) this.ready = null;
      throw err;
    }
  }

  async health(): Promise<{ status: "ok" | "degraded" | "down"; detail?: string }> {
    try {
      const h = await this.client.health.retrieve();
      return h.ok ? { status: "ok" } : { status: "down", detail: "typesense says it is not ready" };
    } catch (err) {
      return { status: "down", detail: describeFailure(err) };
    }
  }

  /** Upserts and deletes in one collection (or alias); a document Typesense refuses fails the whole call. */
  async applyTo(collection: string, change: { upserted: SearchDocument[]; removed: string[] }): Promise<void> {
    const documents = this.client.collections<Indexed>(collection).documents();
    if (change.upserted.length > 0) await documents.import(change.upserted.map(toIndexed), { action: "upsert" });
    for (let i = 0; i < change.removed.length; i += DELETE_BATCH) {
      // Ids are uuids: nothing in them needs quoting.
      await documents.delete({ filter_by: `id:[${change.removed.slice(i, i + DELETE_BATCH).join(",")}]` });
    }
  }

  /** The collection an alias points to, or null when it points nowhere. */
  async aliasTarget(alias: string): Promise<string | null> {
    try {
      return (await this.client.aliases(alias).retrieve()).collection_name;
    } catch (err) {
      if (err instanceof Errors.ObjectNotFound) return null;
      throw err;
    }
  }

  /** The first index update on an empty Typesense creates the live collection and points the alias at it. */
  private ensureCollection(): Promise<void> {
    this.ready ??= (async () => {
      if ((await this.aliasTarget(this.alias)) !== null) return;
      const name = `${this.alias}_initial`;
      try {
        await this.client.collections().create(collectionSchema(name));
      } catch (err) {
        // Another worker made it first.
        if (!(err instanceof Errors.ObjectAlreadyExists)) throw err;
      }
      await this.client.aliases().upsert(this.alias, { collection_name: name });
    })().catch((err) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private async writeTargets(): Promise<string[]> {
    const building = await this.aliasTarget(this.buildingAlias);
    return building === null ? [this.alias] : [this.alias, building];
  }
}

/** One line on why a call to Typesense failed, for /ready and logs (never the API key). */
export function describeFailure(err: unknown): string {
  if (err instanceof Errors.TypesenseError) {
    return err.httpStatus ? `typesense answered ${err.httpStatus}: ${err.message}` : `typesense: ${err.message}`;
  }
  const code = (err as { code?: string }).code;
  if (code === "ECONNREFUSED") return "typesense refused the connection";
  if (code === "ECONNABORTED" || code === "ETIMEDOUT") return "typesense did not answer in time";
  if (!code && err instanceof Error) return err.message;
  return `typesense unreachable: ${err instanceof Error ? err.message : String(err)}`;
}
