import { describe, expect, it } from 'vitest';
import { pchisqUpper, pfUpper, pnormTwoSided, ptTwoSided } from '../src/internal/stats.js';

// 2 * pnorm(-10) in R; 2 * Phi(-30) by Laplace's continued fraction (R prints 9.813428e-198)
const NORMAL_10 = 1.523970604832105e-23;
const NORMAL_30 = 9.813427854296376e-198;

describe('did p-value helpers: upper tails, no underflow beyond |z| ~ 8.3', () => {
  it('two-sided normal at z = 10 and 30', () => {
    expect(Math.abs(pnormTwoSided(10) / NORMAL_10 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(pnormTwoSided(-30) / NORMAL_30 - 1)).toBeLessThan(1e-12);
  });

  it('two-sided t at 10 and 30 (df 1: 2/pi atan(1/t)), chi-square and F tails', () => {
    for (const t of [10, 30]) expect(Math.abs(ptTwoSided(t, 1) / ((2 / Math.PI) * Math.atan(1 / t)) - 1)).toBeLessThan(1e-12);
    expect(ptTwoSided(30, 50)).toBeGreaterThan(0);
    expect(Math.abs(pchisqUpper(900, 2) / Math.exp(-450) - 1)).toBeLessThan(1e-12);
    // F(d1, infinity) is chi-square(d1)/d1
    expect(Math.abs(pfUpper(450, 2, Number.POSITIVE_INFINITY) / Math.exp(-450) - 1)).toBeLessThan(1e-12);
    expect(pfUpper(900, 1, 40)).toBeGreaterThan(0);
  });
});
