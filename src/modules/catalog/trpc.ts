import { publicProcedure, router, staffProcedure } from "../../trpc/init";
import { Category, CategoryDetail, CategoryTree, CreateCategoryInput, GetCategoryInput } from "./schemas";
import * as catalog from "./service";

export const catalogRouter = router({
  categories: router({
    list: publicProcedure.output(CategoryTree).query(({ ctx }) => catalog.listCategoryTree(ctx)),
    get: publicProcedure
      .input(GetCategoryInput)
      .output(CategoryDetail)
      .query(({ ctx, input }) => catalog.getCategory(ctx, input)),
  }),
});

export const adminCategoriesRouter = router({
  create: staffProcedure
    .input(CreateCategoryInput)
    .output(Category)
    .mutation(({ ctx, input }) => catalog.createCategory(ctx, input)),
});
