import { apiKeysRouter } from "../modules/api-keys/trpc";
import { adminCategoriesRouter, catalogRouter } from "../modules/catalog/trpc";
import { customersRouter } from "../modules/customers/trpc";
import { authRouter, meRouter } from "../modules/identity/trpc";
import { router } from "./init";

/** Every module's router, mounted in one list (api.md "tRPC"). */
export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  catalog: catalogRouter,
  admin: router({
    categories: adminCategoriesRouter,
    customers: customersRouter,
    apiKeys: apiKeysRouter,
  }),
});

export type AppRouter = typeof appRouter;
