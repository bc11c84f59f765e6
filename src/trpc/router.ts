import { type MergeTrees, mergeTrees } from "../lib/module";
import { modules } from "../modules";
import { router } from "./init";
import { proceduresFor } from "./operations";

type Trees<M extends readonly { operations: unknown }[]> = { [K in keyof M]: M[K]["operations"] };

/** Every module's operations as tRPC procedures, by their paths (api.md "tRPC"). */
export const appRouter = router(
  proceduresFor(mergeTrees(modules.map((m) => m.operations)) as MergeTrees<Trees<typeof modules>>),
);

export type AppRouter = typeof appRouter;
