import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { BootError } from "../../lib/boot-error";
import type { Cache } from "../../lib/cache";
import type { CatalogSearch } from "../../lib/catalog-search";
import type { Logger } from "../../lib/logger";
import { FallbackSearch } from "./fallback-search";
import { PostgresSearch } from "./postgres-search";
import { TypesenseSearch } from "./typesense-search";

/**
 * The search engine of this process (architecture.md "Modes"): Postgres, the products table being its
 * index; or Typesense when TYPESENSE_URL is set, with Postgres answering while it is away.
 */
export function createCatalogSearch(deps: {
  config: Pick<Config, "TYPESENSE_URL" | "TYPESENSE_API_KEY">;
  db: Db;
  cache: Cache;
  log: Logger;
}): CatalogSearch {
  const postgres = new PostgresSearch(deps.db, deps.cache);
  const { TYPESENSE_URL, TYPESENSE_API_KEY } = deps.config;
  if (!TYPESENSE_URL) return postgres;
  if (!TYPESENSE_API_KEY) {
    throw new BootError(
      "configuring search",
      "TYPESENSE_URL is set but TYPESENSE_API_KEY is not",
      "set TYPESENSE_API_KEY",
    );
  }
  return new FallbackSearch(new TypesenseSearch({ url: TYPESENSE_URL, apiKey: TYPESENSE_API_KEY }), postgres, deps.log);
}
