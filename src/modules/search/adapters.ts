import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { BootError } from "../../lib/boot-error";
import type { CatalogSearch } from "../../lib/catalog-search";
import type { Logger } from "../../lib/logger";
import { FallbackSearch } from "./fallback-search";
import { PostgresSearch } from "./postgres-search";
import { TypesenseSearch } from "./typesense-search";

/** Postgres, or Typesense when TYPESENSE_URL is set, with Postgres answering while it is away. */
export function createCatalogSearch(
  config: Pick<Config, "TYPESENSE_URL" | "TYPESENSE_API_KEY">,
  db: Db,
  log: Logger,
): CatalogSearch {
  const postgres = new PostgresSearch(db);
  if (!config.TYPESENSE_URL) return postgres;
  if (!config.TYPESENSE_API_KEY) {
    throw new BootError(
      "configuring search",
      "TYPESENSE_URL is set but TYPESENSE_API_KEY is not",
      "set TYPESENSE_API_KEY",
    );
  }
  const typesense = new TypesenseSearch({ url: config.TYPESENSE_URL, apiKey: config.TYPESENSE_API_KEY });
  return new FallbackSearch(typesense, postgres, log);
}
