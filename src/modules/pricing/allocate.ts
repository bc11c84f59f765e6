/**
 * Splits `amount` over `weights` in proportion, by largest remainder: each part is the floor of its exact
 * share, and the units left over go one each to the largest remainders, ties to the earlier weight. The
 * parts sum exactly to `amount`, and none exceeds the ceiling of its share (a weight whose share is whole
 * never gets one of the leftovers), so when `amount` <= the weights' sum no part exceeds its weight.
 * Weights summing to 0 take nothing: callers never spread a positive amount over nothing.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((acc, weight) => acc + BigInt(weight), 0n);
  if (total === 0n) return weights.map(() => 0);
  const shares = weights.map((weight) => {
    const exact = BigInt(amount) * BigInt(weight);
    return { part: Number(exact / total), remainder: exact % total };
  });
  const leftOver = amount - shares.reduce((acc, share) => acc + share.part, 0);
  // Array#sort is stable, so equal remainders keep the weights' order: ties go to the earlier one.
  const byRemainder = [...shares].sort((a, b) => compare(b.remainder, a.remainder));
  for (const share of byRemainder.slice(0, leftOver)) share.part += 1;
  return shares.map((share) => share.part);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
