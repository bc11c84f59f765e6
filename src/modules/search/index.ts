import { defineModule } from "../../lib/module";
import * as op from "./operations";
import { syncSearchIndexTask } from "./tasks/sync-search-index";

/** Product search over the CatalogSearch port: Postgres by default, Typesense when configured. */
export default defineModule({
  name: "search",
  tags: [{ name: "Search", description: "Typo-tolerant product search with facets" }],
  operations: { search: { products: op.searchProducts } },
  tasks: [syncSearchIndexTask],
});
