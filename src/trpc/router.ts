import { adminCategoriesRouter, catalogRouter } from "../modules/catalog/trpc";
import { router } from "./init";

/** Every module's router, mounted in one list (api.md "tRPC"). */
export const appRouter = router({
  catalog: catalogRouter,
  admin: router({
    categories: adminCategoriesRouter,
  }),
});

export type AppRouter = typeof appRouter;
