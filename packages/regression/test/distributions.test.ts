import { describe, expect, it } from 'vitest';
import { chisqUpperP, fUpperP, twoSidedP } from '../src/index.js';

/** 2 Phi(-z) by Laplace's continued fraction, independent of the erfc behind the normal cdf. */
function twoSidedNormalCf(z: number): number {
  let cf = z;
  for (let k = 200; k >= 1; k--) cf = z + k / cf;
  return (2 * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI) / cf;
}

const rel = (a: number, b: number) => Math.abs(a - b) / b;

describe('p-values are upper tails, never 1 - cdf (no underflow to 0)', () => {
  it.each([10, 30, -30])('normal, z = %d', (z) => {
    const p = twoSidedP(z, Number.POSITIVE_INFINITY);
    expect(p).toBeGreaterThan(0);
    expect(rel(p, twoSidedNormalCf(Math.abs(z)))).toBeLessThan(1e-12);
  });

  it('normal, z = 10: R 2 * pnorm(-10)', () => {
    expect(rel(twoSidedP(10, Number.POSITIVE_INFINITY), 1.523970604832105e-23)).toBeLessThan(1e-12);
  });

  it.each([10, 30, 1e10])('t with 1 and 2 df (closed forms), t = %d', (t) => {
    // df 1: 2/pi atan(1/t); df 2: 1 - t/sqrt(t^2+2) written without cancellation
    expect(rel(twoSidedP(t, 1), (2 / Math.PI) * Math.atan(1 / t))).toBeLessThan(1e-12);
    const r = Math.sqrt(t * t + 2);
    expect(rel(twoSidedP(-t, 2), 2 / (r * (r + t)))).toBeLessThan(1e-12);
  });

  it('t with many df approaches the normal tail at z = 30', () => {
    expect(rel(twoSidedP(30, 1e12), twoSidedNormalCf(30))).toBeLessThan(1e-6);
  });

  it.each([200, 1000])('chi-square, x = %d (df 2: exp(-x/2); df 1: the two-sided normal at sqrt(x))', (x) => {
    expect(rel(chisqUpperP(x, 2), Math.exp(-x / 2))).toBeLessThan(1e-12);
    expect(rel(chisqUpperP(x, 1), twoSidedNormalCf(Math.sqrt(x)))).toBeLessThan(1e-11);
  });

  it('F(1, d) at t^2 equals the two-sided t p-value; F(2, d) has a closed form', () => {
    for (const t of [10, 30, 1e6]) expect(rel(fUpperP(t * t, 1, 7), twoSidedP(t, 7))).toBeLessThan(1e-11);
    // P(F(2, d) > f) = (1 + 2f/d)^(-d/2)
    for (const f of [50, 1e4]) expect(rel(fUpperP(f, 2, 9), (1 + (2 * f) / 9) ** -4.5)).toBeLessThan(1e-12);
  });

  it('edge values', () => {
    expect(chisqUpperP(0, 3)).toBe(1);
    expect(chisqUpperP(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(fUpperP(0, 2, 5)).toBe(1);
    expect(Number.isNaN(chisqUpperP(Number.NaN, 3))).toBe(true);
    expect(twoSidedP(Number.POSITIVE_INFINITY, 5)).toBe(0);
    expect(twoSidedP(0, 5)).toBe(1);
  });
});
