/** The demo store's collections, in merchandising order; which products join each is decided in product-specs.ts. */
export const DEMO_COLLECTIONS = [
  { slug: "new-arrivals", title: "New Arrivals", description: "Fresh in this season." },
  { slug: "best-sellers", title: "Best Sellers", description: "What everyone keeps coming back for." },
  { slug: "summer-sale", title: "Summer Sale", description: "Marked down while stocks last." },
  { slug: "gift-ideas", title: "Gift Ideas", description: "Easy to give, hard to give back." },
  { slug: "eco-picks", title: "Eco Picks", description: "Organic, recycled and vegan materials." },
  { slug: "staff-favourites", title: "Staff Favourites", description: "Chosen by the people who pack your orders." },
  { slug: "under-25", title: "Under $25", description: "Small prices, big smiles." },
  { slug: "outdoor-essentials", title: "Outdoor Essentials", description: "Kit for wind, rain and trail." },
] as const;

export type CollectionSlug = (typeof DEMO_COLLECTIONS)[number]["slug"];
