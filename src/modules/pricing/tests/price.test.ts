import { describe, expect, test } from "bun:test";
import { price, shippingAmount } from "../service";
import type { PricingLine, PricingResult, PricingTax } from "../types";
import { buyXGetY, cart, fixed, freeShipping, items, line, percentage, promotion, shippingBy } from "./builders";

// Every expected number below is worked out by hand in the comment beside it.

/** Per line: [discount, total]. */
const totals = (result: PricingResult) => result.lines.map((l) => [l.discount, l.total]);
const amounts = (result: PricingResult) => result.promotions.map((p) => [p.promotionId, p.amount]);

describe("percentage", () => {
  test("33% off one line of 3 x 0.99 rounds once per line: 297 -> 98 off", () => {
    // 297 x 33 / 100 = 98.01 -> 98; 297 - 98 = 199.
    const result = price(
      cart({ lines: [line("a", { unitPrice: 99, quantity: 3 })], promotions: [promotion("p", percentage(33))] }),
    );
    expect(result).toMatchObject({ subtotal: 297, discountTotal: 98, total: 199 });
    expect(result.lines[0]?.adjustments).toEqual([{ promotionId: "p", amount: 98 }]);
  });

  test("33% off three lines of 0.99 rounds each line: 33 off each, 99 in all", () => {
    // 99 x 33 / 100 = 32.67 -> 33 per line; 297 - 99 = 198 (vs. 98 off the same units on one line).
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 99 }), line("b", { unitPrice: 99 }), line("c", { unitPrice: 99 })],
        promotions: [promotion("p", percentage(33))],
      }),
    );
    expect(totals(result)).toEqual([
      [33, 66],
      [33, 66],
      [33, 66],
    ]);
    expect(result).toMatchObject({ subtotal: 297, discountTotal: 99, total: 198 });
  });

  test("an exact half rounds up: 50% of 0.99 is 50 off", () => {
    // 99 x 50 / 100 = 49.5 -> 50.
    const result = price(cart({ lines: [line("a", { unitPrice: 99 })], promotions: [promotion("p", percentage(50))] }));
    expect(totals(result)).toEqual([[50, 49]]);
  });
});

describe("fixed", () => {
  test("a fixed discount larger than the subtotal takes the subtotal and the total stops at 0", () => {
    // 10.00 off 5.00 + 3.00 = 8.00: it takes 8.00, shared 500/300 in proportion; nothing goes negative.
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 500 }), line("b", { unitPrice: 300 })],
        promotions: [promotion("p", fixed(1000))],
      }),
    );
    expect(totals(result)).toEqual([
      [500, 0],
      [300, 0],
    ]);
    expect(result).toMatchObject({ subtotal: 800, discountTotal: 800, total: 0 });
    expect(amounts(result)).toEqual([["p", 800]]);
  });

  test("1.00 off three equal lines is shared 34/33/33 by largest remainder, the earlier line first", () => {
    // 100 x 1000 / 3000 = 33.33 each: floors 33 + 33 + 33 = 99, the 1 left goes to the first of the tied remainders.
    const result = price(cart({ lines: [line("a"), line("b"), line("c")], promotions: [promotion("p", fixed(100))] }));
    expect(totals(result)).toEqual([
      [34, 966],
      [33, 967],
      [33, 967],
    ]);
    expect(result.discountTotal).toBe(100);
  });

  test("shares follow what is left of each line, and a line with nothing left gets no adjustment", () => {
    // Lines 0.00, 6.00, 2.00; 1.00 off: 100 x 600 / 800 = 75, 100 x 200 / 800 = 25; the free line takes nothing.
    const result = price(
      cart({
        lines: [
          line("free", { unitPrice: 0 }),
          line("a", { unitPrice: 300, quantity: 2 }),
          line("b", { unitPrice: 200 }),
        ],
        promotions: [promotion("p", fixed(100))],
      }),
    );
    expect(result.lines.map((l) => l.adjustments)).toEqual([
      [],
      [{ promotionId: "p", amount: 75 }],
      [{ promotionId: "p", amount: 25 }],
    ]);
  });
});

describe("buy X get Y", () => {
  const lines = (...specs: [string, number, number][]): PricingLine[] =>
    specs.map(([id, unitPrice, quantity]) => line(id, { unitPrice, quantity }));

  test("buy 2 get 1 with mixed prices: the cheapest unit is free", () => {
    // 3 units = 1 set of 2 + 1: the one free unit is the 3.00 one.
    const result = price(
      cart({
        lines: lines(["a", 1000, 1], ["b", 500, 1], ["c", 300, 1]),
        promotions: [promotion("p", buyXGetY(2, 1))],
      }),
    );
    expect(totals(result)).toEqual([
      [0, 1000],
      [0, 500],
      [300, 0],
    ]);
  });

  test("5 units make 1 set (the 2 left over earn nothing); 6 units make 2, cheapest units first", () => {
    // 5 units: floor(5 / 3) = 1 free unit, the 3.00 one.
    const five = price(
      cart({
        lines: lines(["a", 1000, 2], ["b", 500, 2], ["c", 300, 1]),
        promotions: [promotion("p", buyXGetY(2, 1))],
      }),
    );
    expect(five.discountTotal).toBe(300);
    // 6 units: floor(6 / 3) = 2 free units: the 3.00 one, then one of the two 5.00 ones.
    const six = price(
      cart({
        lines: lines(["a", 1000, 3], ["b", 500, 2], ["c", 300, 1]),
        promotions: [promotion("p", buyXGetY(2, 1))],
      }),
    );
    expect(totals(six)).toEqual([
      [0, 3000],
      [500, 500],
      [300, 0],
    ]);
  });

  test("maxApplications caps the sets: 6 units, at most 1 application, 1 free unit", () => {
    const result = price(
      cart({
        lines: lines(["a", 1000, 3], ["b", 500, 2], ["c", 300, 1]),
        promotions: [promotion("p", buyXGetY(2, 1, { maxApplications: 1 }))],
      }),
    );
    expect(amounts(result)).toEqual([["p", 300]]);
  });

  test("buy 1 get 1 at 50% off rounds half up per line", () => {
    // 2 units of 9.99: 1 set, 1 unit at half price: 999 x 50 / 100 = 499.5 -> 500; 1998 - 500 = 1498.
    const result = price(
      cart({ lines: lines(["a", 999, 2]), promotions: [promotion("p", buyXGetY(1, 1, { percent: 50 }))] }),
    );
    expect(totals(result)).toEqual([[500, 1498]]);
  });

  test("units of the same price are taken from the earlier line", () => {
    const result = price(
      cart({ lines: lines(["a", 500, 1], ["b", 500, 1]), promotions: [promotion("p", buyXGetY(1, 1))] }),
    );
    expect(totals(result)).toEqual([
      [500, 0],
      [0, 500],
    ]);
  });

  test("counts only targeted units: untargeted lines neither make sets nor get free units", () => {
    // Targeted: b (2 units). Untargeted a and c. 2 units / (1 + 1) = 1 set: one b unit free, not the cheaper c.
    const result = price(
      cart({
        lines: lines(["a", 1000, 5], ["b", 700, 2], ["c", 100, 3]),
        promotions: [promotion("p", buyXGetY(1, 1), { target: items({ productIds: ["p-b"] }) })],
      }),
    );
    expect(totals(result)).toEqual([
      [0, 5000],
      [700, 700],
      [0, 300],
    ]);
  });
});

describe("item targets", () => {
  // Each line costs 10.00; 10% off the targeted ones is 1.00 each.
  const shoes = line("shoes", { categoryIds: ["running", "footwear"], collectionIds: ["summer"] });
  const cases = [
    { by: "product id", target: items({ productIds: ["p-shoes"] }) },
    { by: "variant id", target: items({ variantIds: ["v-shoes"] }) },
    { by: "an ancestor category id", target: items({ categoryIds: ["footwear"] }) },
    { by: "collection id", target: items({ collectionIds: ["summer"] }) },
  ];
  for (const { by, target } of cases) {
    test(`matches a line by ${by} and leaves a line that does not match alone`, () => {
      const other = line("hat", { categoryIds: ["hats"], collectionIds: ["winter"] });
      const result = price(cart({ lines: [shoes, other], promotions: [promotion("p", percentage(10), { target })] }));
      expect(totals(result)).toEqual([
        [100, 900],
        [0, 1000],
      ]);
      expect(result.lines[1]?.adjustments).toEqual([]);
    });
  }

  test("an items target matching nothing takes nothing and is still listed, at 0", () => {
    const result = price(
      cart({ lines: [shoes], promotions: [promotion("p", fixed(500), { target: items({ productIds: ["p-none"] }) })] }),
    );
    expect(result).toMatchObject({ discountTotal: 0, total: 1000 });
    expect(amounts(result)).toEqual([["p", 0]]);
  });
});

describe("shipping", () => {
  const freeAbove = shippingBy({ kind: "free_above", amount: 499, threshold: 5000 });

  test("free_above ships free at exactly the threshold, compared after discounts", () => {
    // 60.00 - 10.00 = 50.00 >= 50.00: free.
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 6000 })],
        promotions: [promotion("p", fixed(1000))],
        shippingMethod: freeAbove,
      }),
    );
    expect(result.shipping).toEqual({ methodId: "ship", available: true, amount: 0, discount: 0, total: 0, tax: 0 });
    expect(result.total).toBe(5000);
  });

  test("free_above charges one cent below the threshold, even when the subtotal is above it", () => {
    // 60.00 - 10.01 = 49.99 < 50.00: 4.99; total 4999 + 499 = 5498.
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 6000 })],
        promotions: [promotion("p", fixed(1001))],
        shippingMethod: freeAbove,
      }),
    );
    expect(result).toMatchObject({ shippingTotal: 499, total: 5498 });
  });

  describe("weight bands", () => {
    // Given out of order on purpose: sorted they are <= 1000 g: 5.00, <= 2000 g: 9.00, <= 5000 g: 15.00.
    const byWeight = shippingBy({
      kind: "weight",
      bands: [
        { maxGrams: 5000, amount: 1500 },
        { maxGrams: 1000, amount: 500 },
        { maxGrams: 2000, amount: 900 },
      ],
    });
    const weighing = (weightGrams: number, quantity: number) =>
      price(
        cart({
          lines: [line("a", { weightGrams, quantity })],
          shippingMethod: byWeight,
          promotions: [promotion("free", freeShipping)],
        }),
      );

    test("uses the lightest band that holds the weight x quantity, whatever the input order, a boundary inside", () => {
      // 250 g x 4 = 1000 g: the 1000 g band; 1001 g: the 2000 g band; 5000 g: the last band.
      expect(weighing(250, 4).shipping?.amount).toBe(500);
      expect(weighing(1001, 1).shipping?.amount).toBe(900);
      expect(weighing(1000, 5).shipping?.amount).toBe(1500);
    });

    test("heavier than the last band is unavailable: every shipping amount 0, free shipping takes nothing", () => {
      // 5001 g > 5000 g.
      const result = weighing(5001, 1);
      expect(result.shipping).toEqual({ methodId: "ship", available: false, amount: 0, discount: 0, total: 0, tax: 0 });
      expect(result).toMatchObject({ shippingTotal: 0, total: 1000 });
      expect(amounts(result)).toEqual([["free", 0]]);
    });
  });

  test("free shipping plus a percentage: the percentage takes its share of the lines, free shipping the whole charge", () => {
    // 20.00 - 10% (2.00) = 18.00; shipping 4.99 - 4.99 = 0; total 1800.
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 2000 })],
        promotions: [promotion("free", freeShipping), promotion("pct", percentage(10))],
        shippingMethod: shippingBy({ kind: "flat", amount: 499 }),
      }),
    );
    expect(result.shipping).toEqual({
      methodId: "ship",
      available: true,
      amount: 499,
      discount: 499,
      total: 0,
      tax: 0,
    });
    expect(result).toMatchObject({ discountTotal: 200, shippingTotal: 0, total: 1800 });
    expect(amounts(result)).toEqual([
      ["pct", 200],
      ["free", 499],
    ]);
  });

  test("a second free shipping finds nothing left", () => {
    const result = price(
      cart({
        lines: [line("a")],
        promotions: [promotion("b", freeShipping), promotion("a", freeShipping)],
        shippingMethod: shippingBy({ kind: "flat", amount: 499 }),
      }),
    );
    expect(amounts(result)).toEqual([
      ["a", 499],
      ["b", 0],
    ]);
  });

  test("shippingAmount answers each rate, and null for a weight no band holds", () => {
    expect(shippingAmount({ kind: "flat", amount: 700 }, { weightGrams: 10_000, itemsTotal: 0 })).toBe(700);
    const freeAboveRate = { kind: "free_above", amount: 499, threshold: 5000 } as const;
    expect(shippingAmount(freeAboveRate, { weightGrams: 0, itemsTotal: 5000 })).toBe(0);
    expect(shippingAmount(freeAboveRate, { weightGrams: 0, itemsTotal: 4999 })).toBe(499);
    expect(shippingAmount({ kind: "weight", bands: [] }, { weightGrams: 0, itemsTotal: 0 })).toBeNull();
  });
});

describe("tax", () => {
  const vat: PricingTax = { rateBasisPoints: 2000, inclusive: true, appliesToShipping: true };

  test("inclusive tax is the part of the discounted line total that is tax, and the total does not add it", () => {
    // 19.99 - 10% (199.9 -> 200) = 17.99; tax in it: 1799 x 2000 / 12000 = 299.83 -> 300; total stays 1799.
    const result = price(
      cart({ lines: [line("a", { unitPrice: 1999 })], promotions: [promotion("p", percentage(10))], tax: vat }),
    );
    expect(result.lines[0]).toMatchObject({ discount: 200, total: 1799, tax: 300 });
    expect(result).toMatchObject({ taxTotal: 300, total: 1799, taxInclusive: true });
  });

  const lines = [line("a", { unitPrice: 1000 }), line("b", { unitPrice: 333 })];
  const flat = shippingBy({ kind: "flat", amount: 599 });

  test("exclusive tax per line, shipping taxed: added on top of the total", () => {
    // 8.25%: 1000 -> 82.5 -> 83; 333 -> 27.47 -> 27; shipping 599 -> 49.42 -> 49.
    // total = 1333 + 599 + (83 + 27 + 49 = 159) = 2091.
    const tax = { rateBasisPoints: 825, inclusive: false, appliesToShipping: true };
    const result = price(cart({ lines, shippingMethod: flat, tax }));
    expect(result.lines.map((l) => l.tax)).toEqual([83, 27]);
    expect(result.shipping?.tax).toBe(49);
    expect(result).toMatchObject({
      subtotal: 1333,
      shippingTotal: 599,
      taxTotal: 159,
      total: 2091,
      taxInclusive: false,
    });
  });

  test("exclusive tax with shipping untaxed: shipping's tax is 0", () => {
    // Lines as above: 83 + 27 = 110; total = 1333 + 599 + 110 = 2042.
    const tax = { rateBasisPoints: 825, inclusive: false, appliesToShipping: false };
    const result = price(cart({ lines, shippingMethod: flat, tax }));
    expect(result.shipping?.tax).toBe(0);
    expect(result).toMatchObject({ taxTotal: 110, total: 2042 });
  });

  test("tax on shipping is on what is left after free shipping", () => {
    const result = price(
      cart({ lines, shippingMethod: flat, tax: vat, promotions: [promotion("free", freeShipping)] }),
    );
    expect(result.shipping).toMatchObject({ amount: 599, discount: 599, total: 0, tax: 0 });
  });

  test("stays exact where Number would not: 99 x 21,474,836.47 at 8.25%", () => {
    // 212,600,881,053 x 825 / 10000 = 17,539,572,686.8725 -> 17,539,572,687 (the product passes 2^53).
    const tax = { rateBasisPoints: 825, inclusive: false, appliesToShipping: false };
    const result = price(cart({ lines: [line("a", { unitPrice: 2 ** 31 - 1, quantity: 99 })], tax }));
    expect(result).toMatchObject({ subtotal: 212_600_881_053, taxTotal: 17_539_572_687, total: 230_140_453_740 });
  });
});

describe("order of application", () => {
  test("item percentage applies before order fixed, whatever their priorities", () => {
    // 100.00 - 10% = 90.00, then 10.00 off = 80.00 (the reverse would be 100 - 10 = 90, - 10% = 81.00).
    const result = price(
      cart({
        lines: [line("a", { unitPrice: 10_000 })],
        promotions: [
          promotion("fixed", fixed(1000), { priority: 100 }),
          promotion("pct", percentage(10), { target: items({ productIds: ["p-a"] }), priority: -5 }),
        ],
      }),
    );
    expect(result.total).toBe(8000);
    expect(amounts(result)).toEqual([
      ["pct", 1000],
      ["fixed", 1000],
    ]);
    expect(result.lines[0]?.adjustments.map((a) => a.promotionId)).toEqual(["pct", "fixed"]);
  });

  test("phase 1 runs buy X get Y, then percentage, then fixed; then order percentage, order fixed, free shipping", () => {
    // 2 x 10.00: bxgy 1+1 at 50%: 500 -> 1500; item 10%: 150 -> 1350; item fixed 1.00 -> 1250;
    // order 20%: 250 -> 1000; order fixed 1.00 -> 900; free shipping 4.99.
    const target = items({ productIds: ["p-a"] });
    const result = price(
      cart({
        lines: [line("a", { quantity: 2 })],
        promotions: [
          promotion("1-free", freeShipping, { priority: 9 }),
          promotion("2-order-fixed", fixed(100), { priority: 8 }),
          promotion("3-order-pct", percentage(20), { priority: 7 }),
          promotion("4-item-fixed", fixed(100), { target, priority: 6 }),
          promotion("5-item-pct", percentage(10), { target, priority: 5 }),
          promotion("6-bxgy", buyXGetY(1, 1, { percent: 50 }), { target, priority: 4 }),
        ],
        shippingMethod: shippingBy({ kind: "flat", amount: 499 }),
      }),
    );
    expect(amounts(result)).toEqual([
      ["6-bxgy", 500],
      ["5-item-pct", 150],
      ["4-item-fixed", 100],
      ["3-order-pct", 250],
      ["2-order-fixed", 100],
      ["1-free", 499],
    ]);
    expect(result.total).toBe(900);
  });

  describe("within a phase", () => {
    // a and b cost 10.00 each. "both": 10.00 off a and b; "only-a": 10.00 off a.
    const lines = [line("a"), line("b")];
    const both = (priority: number, id = "both") =>
      promotion(id, fixed(1000), { target: items({ productIds: ["p-a", "p-b"] }), priority });
    const onlyA = (priority: number, id = "only-a") =>
      promotion(id, fixed(1000), { target: items({ productIds: ["p-a"] }), priority });

    test("higher priority applies first, and here that changes the total", () => {
      // "both" first: 500/500, then "only-a" takes a's last 500: total 500.
      expect(price(cart({ lines, promotions: [both(2), onlyA(1)] })).total).toBe(500);
      // "only-a" first: a -> 0, then "both" has only b's 1000 left and takes it: total 0.
      const result = price(cart({ lines, promotions: [both(1), onlyA(2)] }));
      expect(result.total).toBe(0);
      expect(amounts(result)).toEqual([
        ["only-a", 1000],
        ["both", 1000],
      ]);
    });

    test("equal priorities apply by id ascending", () => {
      expect(price(cart({ lines, promotions: [onlyA(0, "b"), both(0, "a")] })).total).toBe(500);
      expect(price(cart({ lines, promotions: [both(0, "b"), onlyA(0, "a")] })).total).toBe(0);
    });
  });
});

// "Adding a promotion never raises the total" is not an invariant of these rules; the two ways it fails:
describe("adding a promotion can raise the total", () => {
  test("when its discount takes the items total below a free_above threshold", () => {
    // 0.01 ships free above 0.01; 0.01 off: 0.00 < 0.01, shipping 0.02 is back: total 1 -> 2.
    const base = cart({
      lines: [line("a", { unitPrice: 1 })],
      shippingMethod: shippingBy({ kind: "free_above", amount: 2, threshold: 1 }),
    });
    expect(price(base).total).toBe(1);
    expect(price({ ...base, promotions: [promotion("p", fixed(1))] }).total).toBe(2);
  });

  test("by a cent, when it shifts a fixed discount's shares and a later percentage rounds them differently", () => {
    // Lines 1, 3, 4; "share" takes 4 off all three, then 25% off the order.
    // Alone: shares of 4 x (1, 3, 4) / 8 = 0.5, 1.5, 2 -> 0, 1, 2 + the 1 left to the first 0.5 tie: (1, 1, 2),
    //   left (0, 2, 2); 25% of 2 = 0.5 -> 1 each: (0, 1, 1), total 2.
    // With 0.01 off the 4 first: (1, 3, 3) / 7 = 0.57, 1.71, 1.71 -> 0, 1, 1 + 2 left to the 0.71s: (0, 2, 2),
    //   left (1, 1, 1); 25% of 1 = 0.25 -> 0: total 3.
    const lines = [line("a", { unitPrice: 1 }), line("b", { unitPrice: 3 }), line("c", { unitPrice: 4 })];
    const promotions = [
      promotion("share", fixed(4), { target: items({ productIds: ["p-a", "p-b", "p-c"] }) }),
      promotion("pct", percentage(25)),
    ];
    expect(price(cart({ lines, promotions })).total).toBe(2);
    const more = [...promotions, promotion("cent", fixed(1), { target: items({ productIds: ["p-c"] }), priority: 1 })];
    expect(price(cart({ lines, promotions: more })).total).toBe(3);
  });
});

describe("empty cart", () => {
  test("prices to all zeros, with its promotions listed at 0", () => {
    const result = price(cart({ promotions: [promotion("p", percentage(10)), promotion("q", fixed(500))] }));
    expect(result).toEqual({
      lines: [],
      subtotal: 0,
      discountTotal: 0,
      shippingTotal: 0,
      taxTotal: 0,
      total: 0,
      taxInclusive: false,
      shipping: null,
      promotions: [
        { promotionId: "p", code: null, amount: 0 },
        { promotionId: "q", code: null, amount: 0 },
      ],
    });
  });
});
