import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { productSpec } from "./product-specs";
import { Random } from "./random";

describe("productSpec", () => {
  test("any product of any seed is well formed", () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer(), (index, seed) => {
        const p = productSpec(index, seed);
        expect(p.variants.length).toBeGreaterThanOrEqual(1);
        expect(p.variants.length).toBeLessThanOrEqual(6);
        expect(new Set(p.variants.map((v) => JSON.stringify(v.options))).size).toBe(p.variants.length);
        const names = p.options.map((o) => o.name).sort();
        for (const v of p.variants) {
          expect(Object.keys(v.options).sort()).toEqual(names);
          for (const o of p.options) expect(o.values).toContain(v.options[o.name] as string);
          expect(Number.isInteger(v.price) && v.price >= 99).toBe(true);
          if (v.compareAtPrice !== null) expect(v.compareAtPrice).toBeGreaterThan(v.price);
          expect(Number.isInteger(v.onHand) && v.onHand >= 0).toBe(true);
          expect(v.sku.startsWith(`CW-${String(index + 1).padStart(6, "0")}-`)).toBe(true);
        }
        // Declared option values are exactly those some variant uses.
        for (const o of p.options) {
          expect(o.values.every((value) => p.variants.some((v) => v.options[o.name] === value))).toBe(true);
        }
        expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(p.slug.endsWith(`-${index + 1}`)).toBe(true);
        expect(productSpec(index, seed)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  test("products differ from their neighbours (each has its own stream)", () => {
    const titles = new Set(Array.from({ length: 200 }, (_, i) => productSpec(i).title));
    expect(titles.size).toBeGreaterThan(150);
  });
});

describe("Random", () => {
  test("int stays within its bounds and the same seed repeats the same draws", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const r = new Random(seed);
        const again = new Random(seed);
        for (let i = 0; i < 20; i++) {
          const n = r.int(min, min + span);
          expect(n).toBeGreaterThanOrEqual(min);
          expect(n).toBeLessThanOrEqual(min + span);
          expect(again.int(min, min + span)).toBe(n);
        }
      }),
    );
  });
});
