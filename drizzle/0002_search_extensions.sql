-- Custom SQL migration file, put your code below! --
-- The Postgres search adapter's typo tolerance and prefixes (trigrams) and its
-- edit distance. Both are trusted extensions: a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
