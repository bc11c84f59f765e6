/** Words the catalog seed builds products from, by the category a product lands in. */

export interface OptionTemplate {
  name: string;
  values: readonly string[];
  /** Added to the base price per step along `values` (bigger sizes cost a little more). */
  priceStep?: number;
}

export interface CategoryVocabulary {
  nouns: readonly string[];
  materials: readonly string[];
  /** Options products here may have, most likely first. */
  options: readonly OptionTemplate[];
  /** Base price range in cents. */
  price: readonly [number, number];
  grams: readonly [number, number];
}

const APPAREL_SIZES: OptionTemplate = { name: "Size", values: ["XS", "S", "M", "L", "XL", "XXL"], priceStep: 100 };
const SHOE_SIZES: OptionTemplate = { name: "Size", values: ["38", "39", "40", "41", "42", "43", "44", "45"] };
const COLORS: OptionTemplate = {
  name: "Color",
  values: ["Black", "White", "Navy", "Olive", "Sand", "Red", "Forest", "Charcoal", "Sky", "Rust"],
};
const FITS: OptionTemplate = { name: "Fit", values: ["Regular", "Slim", "Relaxed"] };

/** Keyed by category slug (src/seed/categories.ts); a product in a parent category draws from a child's words. */
export const VOCABULARY: Record<string, CategoryVocabulary> = {
  "t-shirts": {
    nouns: ["T-Shirt", "Tee", "Pocket Tee", "Henley", "Long Sleeve Tee", "Tank Top", "Polo"],
    materials: ["Cotton", "Organic Cotton", "Linen", "Merino", "Bamboo", "Slub Cotton"],
    options: [APPAREL_SIZES, COLORS, FITS],
    price: [1500, 4500],
    grams: [140, 260],
  },
  hoodies: {
    nouns: ["Hoodie", "Zip Hoodie", "Sweatshirt", "Crewneck", "Fleece Pullover"],
    materials: ["Fleece", "French Terry", "Organic Cotton", "Recycled Polyester", "Loopback Cotton"],
    options: [APPAREL_SIZES, COLORS, FITS],
    price: [3900, 9500],
    grams: [400, 800],
  },
  jackets: {
    nouns: ["Jacket", "Bomber", "Overshirt", "Puffer", "Field Jacket", "Vest"],
    materials: ["Waxed Cotton", "Denim", "Nylon", "Wool", "Corduroy", "Down"],
    options: [APPAREL_SIZES, COLORS],
    price: [7900, 24900],
    grams: [600, 1400],
  },
  "rain-jackets": {
    nouns: ["Rain Jacket", "Shell", "Anorak", "Poncho", "Rain Parka"],
    materials: ["Gore-Tex", "Ripstop Nylon", "Waxed Canvas", "Recycled Nylon"],
    options: [APPAREL_SIZES, COLORS],
    price: [8900, 29900],
    grams: [300, 900],
  },
  sneakers: {
    nouns: ["Sneaker", "Runner", "Court Shoe", "Trainer", "Slip-On", "High-Top"],
    materials: ["Canvas", "Leather", "Suede", "Knit", "Recycled Mesh"],
    options: [SHOE_SIZES, COLORS],
    price: [5900, 16900],
    grams: [600, 1100],
  },
  boots: {
    nouns: ["Boot", "Chelsea Boot", "Hiking Boot", "Work Boot", "Chukka"],
    materials: ["Leather", "Suede", "Nubuck", "Waxed Leather", "Rubber"],
    options: [SHOE_SIZES, COLORS],
    price: [9900, 27900],
    grams: [900, 1800],
  },
  bags: {
    nouns: ["Backpack", "Tote", "Duffel", "Messenger Bag", "Sling", "Weekender", "Wallet"],
    materials: ["Canvas", "Leather", "Nylon", "Cordura", "Recycled PET", "Waxed Canvas"],
    options: [COLORS, { name: "Capacity", values: ["10 L", "20 L", "30 L"], priceStep: 1000 }],
    price: [2500, 19900],
    grams: [200, 1600],
  },
  hats: {
    nouns: ["Beanie", "Cap", "Bucket Hat", "Sun Hat", "Trucker Cap", "Fedora"],
    materials: ["Wool", "Cotton Twill", "Straw", "Merino", "Corduroy"],
    options: [COLORS, { name: "Size", values: ["S/M", "L/XL"] }],
    price: [1500, 5900],
    grams: [60, 200],
  },
  kitchen: {
    nouns: ["Mug", "Skillet", "Chef's Knife", "Cutting Board", "Teapot", "Mixing Bowl", "Dutch Oven"],
    materials: ["Ceramic", "Cast Iron", "Walnut", "Stainless Steel", "Stoneware", "Bamboo"],
    options: [
      { name: "Material", values: ["Ceramic", "Stoneware", "Porcelain", "Enamel"] },
      { name: "Color", values: ["Cream", "Slate", "Sage", "Terracotta", "Ink"] },
    ],
    price: [900, 17900],
    grams: [250, 5000],
  },
  decor: {
    nouns: ["Vase", "Throw Blanket", "Candle", "Cushion", "Wall Print", "Planter", "Lamp"],
    materials: ["Linen", "Wool", "Glass", "Terracotta", "Soy Wax", "Brass", "Oak"],
    options: [
      { name: "Size", values: ["Small", "Medium", "Large"], priceStep: 800 },
      { name: "Color", values: ["Cream", "Slate", "Sage", "Terracotta", "Ink", "Ochre"] },
    ],
    price: [1200, 14900],
    grams: [200, 3000],
  },
};

export const ADJECTIVES = [
  "Classic",
  "Everyday",
  "Essential",
  "Heritage",
  "Urban",
  "Trail",
  "Coastal",
  "Alpine",
  "Minimal",
  "Vintage",
  "Modern",
  "Rugged",
  "Lightweight",
  "Cozy",
  "Studio",
  "Nordic",
  "Weekend",
  "Harbor",
  "Summit",
  "Meadow",
] as const;

export const TAGS = ["new", "bestseller", "eco", "limited", "gift", "handmade", "vegan", "sale", "staff-pick"] as const;

export const ORIGINS = ["Portugal", "Italy", "Japan", "Vietnam", "Peru", "Turkey", "USA", "Mexico"] as const;

export const PHRASES = {
  opening: [
    "Made to be worn, used and loved for years.",
    "A quiet favourite that goes with everything.",
    "Designed in our studio and tested on long weekends.",
    "Built for the daily routine and the odd adventure.",
    "Simple lines, honest materials, no fuss.",
  ],
  care: [
    "Machine wash cold, hang to dry.",
    "Wipe clean with a damp cloth.",
    "Hand wash only; it will thank you.",
    "Gets better with age and a little care.",
  ],
} as const;
