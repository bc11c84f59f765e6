// MINIMAL on the Typesense branch (h-typesense): the search helper's branch owns this manifest
// (operations, tags); the integrator keeps theirs and adds `tasks: [syncSearchIndexTask]`.
import { defineModule } from "../../lib/module";
import { syncSearchIndexTask } from "./tasks/sync-search-index";

export default defineModule({
  name: "search",
  operations: {},
  tasks: [syncSearchIndexTask],
});
