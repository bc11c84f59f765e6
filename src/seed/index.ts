import { eq } from "drizzle-orm";
import { users } from "../db/schema";
import type { Ctx } from "../lib/context";
import { AppError } from "../lib/errors";
import * as catalog from "../modules/catalog/categories";
import * as identity from "../modules/identity/service";
import { DEMO_ACCOUNTS } from "./accounts";
import { seedCatalog } from "./catalog";
import { DEMO_CATEGORIES } from "./categories";
import { seedOrders } from "./orders";
import type { Progress } from "./progress";
import { seedPromotions } from "./promotions";
import { seedShippingAndTax } from "./shipping";

export type { Progress };

/** The demo store's catalog size; `bun run db:seed --products N` builds larger ones for benchmarks. */
export const DEMO_PRODUCTS = 1000;

export interface SeedOptions {
  products?: number;
}

type Tree = typeof DEMO_CATEGORIES;
const count = (tree: Tree): number => tree.reduce((n, c) => n + 1 + count(c.children ?? []), 0);

/** Seeds the demo store through the services; running it again changes nothing. */
export async function seedDemoStore(
  ctx: Ctx,
  progress: Progress,
  opts: SeedOptions = {},
): Promise<{ created: number }> {
  const accounts = await seedAccounts(ctx, progress);
  const categories = await seedCategories(ctx, progress);
  const catalog = await seedCatalog(ctx, { products: opts.products ?? DEMO_PRODUCTS }, progress);
  const shipping = await seedShippingAndTax(ctx, progress);
  // After the catalog: the buy-2-get-1 targets one of its collections.
  const promotions = await seedPromotions(ctx, progress);
  // Last: the demo customers' orders buy from the catalog, ship by the methods and use a code.
  const orders = await seedOrders(ctx, progress);
  return {
    created: accounts + categories + catalog.created + shipping.created + promotions.created + orders.created,
  };
}

async function seedAccounts(ctx: Ctx, progress: Progress): Promise<number> {
  let created = 0;
  for (const [i, account] of DEMO_ACCOUNTS.entries()) {
    const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, account.email));
    if (!existing) {
      await identity.createAccount(ctx, account);
      created++;
    }
    progress("accounts", i + 1, DEMO_ACCOUNTS.length);
  }
  return created;
}

async function seedCategories(ctx: Ctx, progress: Progress): Promise<number> {
  const total = count(DEMO_CATEGORIES);
  let done = 0;
  let created = 0;
  const walk = async (tree: Tree, parentId: string | null): Promise<void> => {
    for (const [position, { children, ...category }] of tree.entries()) {
      const existing = await catalog.getCategory(ctx, { idOrSlug: category.slug ?? "" }).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "NOT_FOUND") return null;
        throw err;
      });
      const id = existing?.id ?? (await catalog.createCategory(ctx, { ...category, parentId, position })).id;
      if (!existing) created++;
      progress("categories", ++done, total);
      await walk(children ?? [], id);
    }
  };
  await walk(DEMO_CATEGORIES, null);
  return created;
}
