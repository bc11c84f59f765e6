import type { Config } from "../../config";
import type { Db } from "../../db/client";
import type { Cache } from "../../lib/cache";
import type { CatalogSearch } from "../../lib/catalog-search";
import { PostgresSearch } from "./postgres-search";

/** The search engine of this process (architecture.md "Modes"): Postgres, the products table being its index. */
export function createCatalogSearch(deps: { config: Config; db: Db; cache: Cache }): CatalogSearch {
  return new PostgresSearch(deps.db, deps.cache);
}
