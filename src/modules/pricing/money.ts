/**
 * Integer money arithmetic. Products go through BigInt: unit prices reach 2^31-1 and quantities 99, so a
 * line reaches ~2.1e11 and a cart of 100 lines ~2e13, and an amount times a percent, a tax rate or another
 * amount passes 2^53, where Number silently drops cents. Sums and results stay well inside it.
 */

export function sum(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}

/** `dividend / divisor` rounded half up, for a non-negative dividend and a positive divisor. */
export function roundHalfUp(dividend: bigint, divisor: bigint): number {
  return Number((2n * dividend + divisor) / (2n * divisor));
}

/** `amount x numerator / denominator` rounded half up: a percent of an amount, or its tax. */
export function fractionOf(amount: number, numerator: number, denominator: number): number {
  return roundHalfUp(BigInt(amount) * BigInt(numerator), BigInt(denominator));
}
