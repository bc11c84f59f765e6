import { resolve } from "node:path";
import { detailPaths, filteredListPaths, LUA_DIR, luaTable, typoSearchPaths } from "./catalog-requests";
import type { CatalogSample } from "./prepare-catalog";
import type { Target } from "./target";

// The catalog targets of issue 14, written against the API contract (api.md):
// a target whose route answers 404 is skipped with "route missing: ...", so the
// machinery runs on a branch that has not got the storefront or search yet.

export const CATALOG_TARGET_KEYS = ["bare-list", "products", "products-trpc", "filtered", "detail", "search"];

export const LIST_PAGE = "/api/v1/products?limit=20";
const TRPC_LIST_PAGE = `/trpc/catalog.products.list?input=${encodeURIComponent(JSON.stringify({ limit: 20 }))}`;
/** Second pages fetched at start-up for the filtered-lists script (one request in ten asks for one). */
const NEXT_PAGES = 200;

export interface CatalogTargets {
  targets: Target[];
  /** One line per target left out, and why. */
  skipped: string[];
}

/**
 * The catalog targets that exist on this server: `bareBase` serves the list
 * page's JSON at LIST_PAGE's path (the list targets' baseline); the Lua-driven
 * ones get their data files in `tmp`.
 */
export async function catalogTargets(opts: {
  api: string;
  bareBase: string;
  sample: CatalogSample;
  tmp: string;
  listExists: boolean;
  wrk: boolean;
}): Promise<CatalogTargets> {
  const { api, sample, tmp } = opts;
  const targets: Target[] = [];
  const skipped: string[] = [];
  const missing = (what: string) => skipped.push(`route missing: ${what} (answers 404): skipped`);
  const baseline = opts.listExists ? "bare-list" : "bare";
  if (opts.listExists) {
    targets.push(
      { key: "bare-list", label: "bare Hono (same JSON as a list page)", url: `${opts.bareBase}/api/v1/products` },
      { key: "products", label: `GET ${LIST_PAGE} (cached)`, url: `${api}${LIST_PAGE}`, baseline },
    );
  } else {
    missing(`GET ${LIST_PAGE}`);
  }
  if ((await status(`${api}${TRPC_LIST_PAGE}`)) !== 404) {
    const label = "tRPC GET /trpc/catalog.products.list {limit:20} (cached)";
    targets.push({ key: "products-trpc", label, url: `${api}${TRPC_LIST_PAGE}`, baseline });
  } else {
    missing("tRPC catalog.products.list");
  }

  const scripted: {
    key: string;
    label: string;
    route: string;
    paths: string[];
    make: () => Promise<Target["script"]>;
  }[] = [];
  const lists = filteredListPaths(sample);
  scripted.push({
    key: "filtered",
    label: "GET /api/v1/products, random filters, sorts, price bounds, cursors (uncached)",
    route: "GET /api/v1/products (filtered lists)",
    paths: lists,
    make: async () => {
      const data = resolve(tmp, "filtered-lists.data.lua");
      const nextPages = await secondPages(api, lists.slice(0, NEXT_PAGES));
      const table = { lists, next_pages: nextPages, min_price: sample.prices.min, max_price: sample.prices.max };
      await Bun.write(data, luaTable(table));
      return { file: resolve(LUA_DIR, "filtered-lists.lua"), data };
    },
  });
  for (const [key, label, route, paths] of [
    ["detail", "GET /api/v1/products/{slug}, random slug", "GET /api/v1/products/{slug}", detailPaths(sample)],
    [
      "search",
      "GET /api/v1/search/products?q=<typo>, random typo'd word (Postgres)",
      "GET /api/v1/search/products",
      typoSearchPaths(sample),
    ],
  ] as const) {
    scripted.push({
      key,
      label,
      route,
      paths,
      make: async () => {
        const data = resolve(tmp, `${key}.data.lua`);
        await Bun.write(data, luaTable({ paths }));
        return { file: resolve(LUA_DIR, "random-path.lua"), data };
      },
    });
  }
  for (const t of scripted) {
    const first = t.paths[0];
    if (!first) {
      skipped.push(`${t.label}: nothing to ask for in this catalog: skipped`);
    } else if ((await status(`${api}${first}`)) === 404) {
      missing(t.route);
    } else if (!opts.wrk) {
      skipped.push(`${t.label}: needs wrk (a Lua script varies every request): skipped`);
    } else {
      targets.push({ key: t.key, label: t.label, url: `${api}${first}`, baseline, script: await t.make() });
    }
  }
  return { targets, skipped };
}

async function status(url: string): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  return res.status;
}

/** The second page of each of these lists that has one, four requests at a time. */
async function secondPages(api: string, paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path; path = queue.shift()) {
      const res = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(30_000) });
      const body = (await res.json().catch(() => null)) as { nextCursor?: string | null } | null;
      if (res.status === 200 && body?.nextCursor) out.push(`${path}&cursor=${encodeURIComponent(body.nextCursor)}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out.sort();
}
