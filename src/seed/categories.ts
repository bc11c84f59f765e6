import type { z } from "zod";
import type { CreateCategoryInput } from "../modules/catalog/schemas";

type SeedCategory = Omit<z.input<typeof CreateCategoryInput>, "parentId"> & { children?: SeedCategory[] };

/** A small demo store's category tree. */
export const DEMO_CATEGORIES: SeedCategory[] = [
  {
    name: "Clothing",
    slug: "clothing",
    children: [
      { name: "T-Shirts", slug: "t-shirts" },
      { name: "Hoodies", slug: "hoodies" },
      { name: "Jackets", slug: "jackets", children: [{ name: "Rain Jackets", slug: "rain-jackets" }] },
    ],
  },
  {
    name: "Footwear",
    slug: "footwear",
    children: [
      { name: "Sneakers", slug: "sneakers" },
      { name: "Boots", slug: "boots" },
    ],
  },
  {
    name: "Accessories",
    slug: "accessories",
    children: [
      { name: "Bags", slug: "bags" },
      { name: "Hats", slug: "hats" },
    ],
  },
  {
    name: "Home",
    slug: "home",
    children: [
      { name: "Kitchen", slug: "kitchen" },
      { name: "Decor", slug: "decor" },
    ],
  },
];
