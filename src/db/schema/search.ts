import { index, pgTable, text } from "drizzle-orm/pg-core";
import type { ConstraintFields } from "./constraint-fields";

/**
 * Every word of active products' titles and descriptions (their search_vector's
 * lexemes, up to 40 letters): the Postgres search adapter takes a word found here
 * as typed and corrects any other to its nearest words here (ts_stat over the
 * products per query would be far too slow). Written by the listing refresh in
 * the same transaction as each product write (catalog/listing.ts), so it is
 * fresh without the worker. Words of products renamed, hidden or deleted since
 * stay: they correct to a word that then matches nothing, which is harmless.
 */
export const searchTerms = pgTable("search_terms", { term: text("term").primaryKey() }, (t) => [
  // The words near a typo (`%`, under the similarity threshold the search sets): GIN reads only the
  // posting lists of the typo's trigrams, where a GiST KNN scan took 100+ ms over 80,000 words.
  index("search_terms_trgm_idx").using("gin", t.term.op("gin_trgm_ops")),
  // Whether a word is known, or the start of one (a range on `~>=~`/`~<=~`), whatever the collation.
  index("search_terms_prefix_idx").on(t.term.op("text_pattern_ops")),
]);

/** No unique or foreign-key constraint besides the primary key. */
export const searchConstraints: ConstraintFields[] = [];
