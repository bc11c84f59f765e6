import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { useTestApp } from "../../../../tests/harness";
import { toAppError } from "../../../lib/errors";
import * as adminProducts from "../admin-products";

const t = await useTestApp();
const staff = t.as(await t.user("staff")).ctx;

const NAMES = ["Size", "Color", "Fit"];
const VALUES = ["S", "M", "L", "Red"];

/** Options with distinct names, each with distinct values from a small pool (so variants hit and miss them). */
const optionSets = fc
  .uniqueArray(fc.constantFrom(...NAMES), { maxLength: 2 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }).map((values) => ({ name, values })),
      ),
    ),
  );
/** Variant option maps over a wider set of names and values than any product has: some valid, many not. */
const chosen = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES), { maxKeys: 3 });
const variantLists = fc.array(fc.record({ sku: fc.constantFrom("A", "B", "C", "D"), options: chosen }), {
  minLength: 1,
  maxLength: 4,
});

/** The rule, stated independently of the service: each variant names exactly the options, with one of their values; no repeats. */
function isValid(
  options: { name: string; values: string[] }[],
  list: { sku: string; options: Record<string, string> }[],
) {
  const fits = (o: Record<string, string>) =>
    Object.keys(o).length === options.length && options.every((opt) => opt.values.includes(o[opt.name] as string));
  const combos = list.map((v) => options.map((opt) => v.options[opt.name]).join("|"));
  return (
    list.every((v) => fits(v.options)) &&
    new Set(combos).size === list.length &&
    new Set(list.map((v) => v.sku)).size === list.length
  );
}

let run = 0;
const rowCount = async () => {
  const [row] =
    await t.sql`select (select count(*) from products) + (select count(*) from variants) + (select count(*) from inventory_ledger) as n`;
  return Number(row?.n);
};

describe("createProduct", () => {
  test("accepts exactly the variant sets that fit the options, and a refusal writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(optionSets, variantLists, async (options, list) => {
        const k = ++run;
        const before = await rowCount();
        const input = {
          title: `Prop ${k}`,
          options,
          // SKUs unique per run, so only repeats within the body can collide.
          variants: list.map((v) => ({ sku: `P${k}-${v.sku}`, price: 100, options: v.options, onHand: 1 })),
        };
        const outcome = await adminProducts.createProduct(staff, input).then(
          (p) => ({ ok: true as const, p }),
          (err) => ({ ok: false as const, err: toAppError(err).error }),
        );
        expect(outcome.ok).toBe(isValid(options, list));
        if (outcome.ok) {
          expect(outcome.p.variants.map((v) => v.options)).toEqual(list.map((v) => v.options));
        } else {
          expect(outcome.err.code).toBe("VALIDATION_FAILED");
          expect(
            outcome.err.details?.errors?.every((e) => e.path.startsWith("variants.") || e.path.startsWith("options.")),
          ).toBe(true);
          expect(await rowCount()).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  });
});
