import type { Ctx } from "../lib/context";
import { AppError } from "../lib/errors";
import * as catalog from "../modules/catalog/service";
import { DEMO_CATEGORIES } from "./categories";

export type Progress = (step: string, done: number, total: number) => void;

type Tree = typeof DEMO_CATEGORIES;
const count = (tree: Tree): number => tree.reduce((n, c) => n + 1 + count(c.children ?? []), 0);

/** Seeds the demo store through the services; running it again changes nothing. */
export async function seedDemoStore(ctx: Ctx, progress: Progress): Promise<{ created: number }> {
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
  return { created };
}
