import { asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { productImages, products } from "../../db/schema";
import { requireStaff } from "../../lib/access";
import type { Ctx } from "../../lib/context";
import { AppError } from "../../lib/errors";
import { IdParam } from "../../lib/id-param";
import { newId } from "../../lib/ids";
import { inTransaction, type TxCtx } from "../../lib/transaction";
import { AddImageInput, type ProductImages, ReorderImagesInput } from "./admin-schemas";
import { productsChangedInTx } from "./listing";
import type { ProductImage as ProductImageSchema } from "./schemas";

type ProductImage = z.infer<typeof ProductImageSchema>;

// A product's first image is its card's (listing.ts), so every image write refreshes the listing.

const imageColumns = {
  id: productImages.id,
  url: productImages.url,
  alt: productImages.alt,
  position: productImages.position,
};

async function lockProductInTx(tx: TxCtx, productId: string): Promise<void> {
  const [found] = await tx.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.id, productId))
    .for("update");
  if (!found) throw new AppError("NOT_FOUND", "Product not found");
}

const imagesOf = (tx: TxCtx, productId: string) =>
  tx.db
    .select(imageColumns)
    .from(productImages)
    .where(eq(productImages.productId, productId))
    .orderBy(asc(productImages.position), asc(productImages.id));

/** Adds an image after the others. Staff, or catalog:write. */
export async function addImage(ctx: Ctx, raw: z.input<typeof AddImageInput>): Promise<ProductImage> {
  requireStaff(ctx.actor, "catalog:write");
  const { id: productId, ...image } = AddImageInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    await lockProductInTx(tx, productId);
    const [row] = await tx.db
      .insert(productImages)
      .values({
        ...image,
        id: newId(),
        productId,
        position: sql`(select coalesce(max(position) + 1, 0) from product_images where product_id = ${productId})`,
      })
      .returning(imageColumns);
    await productsChangedInTx(tx, [productId]);
    return row as ProductImage;
  });
}

/** Removes an image. Staff, or catalog:write. */
export async function deleteImage(ctx: Ctx, raw: z.input<typeof IdParam>): Promise<void> {
  requireStaff(ctx.actor, "catalog:write");
  const { id } = IdParam.parse(raw);
  await inTransaction(ctx, async (tx) => {
    const [gone] = await tx.db
      .delete(productImages)
      .where(eq(productImages.id, id))
      .returning({ productId: productImages.productId });
    if (!gone) throw new AppError("NOT_FOUND", "Image not found");
    await productsChangedInTx(tx, [gone.productId]);
  });
}

/** Puts a product's images in the order given, which must name each of them once. Staff, or catalog:write. */
export async function reorderImages(ctx: Ctx, raw: z.input<typeof ReorderImagesInput>): Promise<ProductImages> {
  requireStaff(ctx.actor, "catalog:write");
  const { id: productId, imageIds } = ReorderImagesInput.parse(raw);
  return inTransaction(ctx, async (tx) => {
    await lockProductInTx(tx, productId);
    const current = await imagesOf(tx, productId);
    const known = new Set(current.map((i) => i.id));
    if (
      imageIds.length !== known.size ||
      new Set(imageIds).size !== imageIds.length ||
      !imageIds.every((i) => known.has(i))
    ) {
      throw new AppError("VALIDATION_FAILED", "Invalid input: imageIds", {
        errors: [{ path: "imageIds", message: "Name every image of the product once" }],
      });
    }
    if (imageIds.length > 0) {
      await tx.db.execute(sql`
        update product_images i set position = o.position - 1
        from unnest(${sql.param(imageIds)}::uuid[]) with ordinality as o(id, position)
        where i.id = o.id`);
    }
    await productsChangedInTx(tx, [productId]);
    return { items: await imagesOf(tx, productId) };
  });
}
