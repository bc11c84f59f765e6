import { sum } from "./money";
import type { PricingLine, PricingShippingMethod, ShippingRate } from "./types";

type WeightBand = Extract<ShippingRate, { kind: "weight" }>["bands"][number];

/** What `rate` charges for a cart of this weight and items total (after line discounts); null: it cannot ship it. */
export function shippingAmount(rate: ShippingRate, cart: { weightGrams: number; itemsTotal: number }): number | null {
  switch (rate.kind) {
    case "flat":
      return rate.amount;
    case "free_above":
      return cart.itemsTotal >= rate.threshold ? 0 : rate.amount;
    case "weight":
      return lightestBandFor(rate.bands, cart.weightGrams)?.amount ?? null;
  }
}

/** The method's charge for the lines before free shipping; amount 0 when its rate cannot ship them. */
export function quoteShipping(
  method: PricingShippingMethod | null,
  lines: readonly PricingLine[],
  itemsTotal: number,
): { methodId: string; available: boolean; amount: number } | null {
  if (!method) return null;
  const weightGrams = sum(lines.map((line) => line.weightGrams * line.quantity));
  const amount = shippingAmount(method.rate, { weightGrams, itemsTotal });
  return { methodId: method.id, available: amount !== null, amount: amount ?? 0 };
}

/**
 * The first band, by ascending `maxGrams`, that holds `weightGrams`. Bands are sorted here because the
 * stored order is not trusted; two bands with the same limit (bad data) resolve to the cheaper, so the
 * answer never depends on input order either.
 */
function lightestBandFor(bands: readonly WeightBand[], weightGrams: number): WeightBand | undefined {
  return [...bands]
    .sort((a, b) => a.maxGrams - b.maxGrams || a.amount - b.amount)
    .find((band) => weightGrams <= band.maxGrams);
}
