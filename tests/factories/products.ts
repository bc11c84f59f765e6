import {
  collectionProducts,
  type ProductStatus,
  productImages,
  productOptions,
  products,
  variants,
} from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { slugify } from "../../src/lib/slug";
import { inTransaction } from "../../src/lib/transaction";
import { createLevelsInTx } from "../../src/modules/catalog/levels";
import { productsChangedInTx } from "../../src/modules/catalog/listing";
import type { TestApp } from "../harness";

export interface VariantFixture {
  sku?: string;
  price: number;
  compareAtPrice?: number | null;
  options?: Record<string, string>;
  onHand?: number;
  lowStockThreshold?: number;
  weightGrams?: number;
}

export interface ProductFixture {
  title: string;
  slug?: string;
  description?: string;
  status?: ProductStatus;
  categoryId?: string | null;
  tags?: string[];
  options?: { name: string; values: string[] }[];
  /** Default: one variant at 1000 with 10 on hand. */
  variants?: VariantFixture[];
  images?: { url: string; alt?: string }[];
  collectionIds?: string[];
  /** For tests of sorting and cursors: the creation time. */
  createdAt?: Date;
}

export interface MadeProduct {
  id: string;
  slug: string;
  variants: { id: string; sku: string }[];
}

let made = 0;

/**
 * A product written straight to its tables, listing and stock included, through
 * the same listing refresh as every catalog write: tests of reads, search and
 * stock need not go through the admin API. Active by default.
 */
export async function makeProduct(t: TestApp, fixture: ProductFixture): Promise<MadeProduct> {
  const n = ++made;
  const id = newId();
  const slug = fixture.slug ?? `${slugify(fixture.title)}-${n}`;
  const variantRows = (fixture.variants ?? [{ price: 1000 }]).map((v, i) => ({
    id: newId(),
    productId: id,
    sku: v.sku ?? `SKU-${n}-${i + 1}`,
    title: Object.values(v.options ?? {}).join(" / ") || fixture.title,
    price: v.price,
    compareAtPrice: v.compareAtPrice ?? null,
    weightGrams: v.weightGrams ?? null,
    options: v.options ?? {},
    position: i,
    fixture: v,
  }));
  await inTransaction(t.ctx({ kind: "system", name: "test-factory" }), async (tx) => {
    await tx.db.insert(products).values({
      id,
      slug,
      title: fixture.title,
      description: fixture.description ?? "",
      status: fixture.status ?? "active",
      categoryId: fixture.categoryId ?? null,
      tags: fixture.tags ?? [],
      ...(fixture.createdAt ? { createdAt: fixture.createdAt, updatedAt: fixture.createdAt } : {}),
    });
    if (fixture.options?.length) {
      await tx.db
        .insert(productOptions)
        .values(
          fixture.options.map((o, i) => ({ id: newId(), productId: id, name: o.name, values: o.values, position: i })),
        );
    }
    await tx.db.insert(variants).values(variantRows.map(({ fixture: _, ...row }) => row));
    await createLevelsInTx(
      tx,
      variantRows.map((v) => ({
        variantId: v.id,
        onHand: v.fixture.onHand ?? 10,
        lowStockThreshold: v.fixture.lowStockThreshold ?? 0,
      })),
    );
    if (fixture.images?.length) {
      await tx.db.insert(productImages).values(
        fixture.images.map((img, i) => ({
          id: newId(),
          productId: id,
          url: img.url,
          alt: img.alt ?? "",
          position: i,
        })),
      );
    }
    if (fixture.collectionIds?.length) {
      await tx.db
        .insert(collectionProducts)
        .values(fixture.collectionIds.map((collectionId, i) => ({ collectionId, productId: id, position: i })));
    }
    await productsChangedInTx(tx, [id]);
  });
  return { id, slug, variants: variantRows.map((v) => ({ id: v.id, sku: v.sku })) };
}
