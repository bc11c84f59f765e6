// biome-ignore lint/style/noRestrictedImports: pricing/types.ts is the agreed pricing interface (issue 15) and pricing exposes no service or schemas yet; once it re-exports these, import from there and drop this file.
export type { PricingLine, PricingPromotion, PromotionEffect, PromotionTarget } from "../pricing/types";
