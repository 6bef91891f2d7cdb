/**
 * Standard normal cdf and quantile for the lattice's inner loop, where @stdlib's general
 * (mu, sigma) versions spend time on argument checks, and which runs K * N * d times per rectangle.
 * - cdf: Hart's rational approximation (algorithm 5666, as given by West 2005, "Better approximations
 *   to cumulative normal functions") for |x| < 7.07, a continued fraction beyond: absolute error within
 *   a few 1e-16 everywhere, relative error ~1e-15 for x > -3, growing to ~1e-8 in the far lower tail
 *   (x < -6, where Phi < 1e-9 and the integrand's weight is negligible).
 * - quantile: Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step
 *   against the cdf above (cubic convergence), so it is as accurate as that cdf: ~1e-15 for p > 1e-3.
 * test/normal-fast.test.ts checks both against @stdlib over the whole range.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** exp(-z^2 / 2) from the last upperTail call, reused by the quantile's Halley step (saves one exp). */
let lastGauss = 0;

/** Phi(-z) = 1 - Phi(z) for z >= 0. */
function upperTail(z: number): number {
  if (z > 37) { lastGauss = 0; return 0; }
  const e = Math.exp(-0.5 * z * z);
  lastGauss = e;
  if (z < 7.07106781186547) {
    const num = ((((((0.0352624965998911 * z + 0.700383064443688) * z + 6.37396220353165) * z + 33.912866078383) * z + 112.079291497871) * z + 221.213596169931) * z + 220.206867912376);
    const den = (((((((0.0883883476483184 * z + 1.75566716318264) * z + 16.064177579207) * z + 86.7807322029461) * z + 296.564248779674) * z + 637.333633378831) * z + 793.826512519948) * z + 440.413735824752);
    return (e * num) / den;
  }
  // continued fraction for the Mills ratio, converged for z >= 7.07
  return e / ((z + 1 / (z + 2 / (z + 3 / (z + 4 / (z + 0.65))))) * SQRT_2PI);
}

/** Phi(x); exact 0 and 1 at -Infinity and +Infinity. */
export function stdNormalCdf(x: number): number {
  return x > 0 ? 1 - upperTail(x) : upperTail(-x);
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239] as const;
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1] as const;
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Phi^{-1}(p) for p in (0, 1); callers clamp p away from 0 and 1. */
export function stdNormalQuantile(p: number): number {
  let x: number;
  if (p < P_LOW || p > 1 - P_LOW) {
    const lower = p < P_LOW;
    const q = Math.sqrt(-2 * Math.log(lower ? p : 1 - p));
    const v = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    x = lower ? v : -v;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // one Halley step on Phi(x) - p; in the upper tail written as (1 - p) - Phi(-x), which keeps its digits
  const e = x > 0 ? (1 - p) - upperTail(x) : upperTail(-x) - p;
  if (lastGauss === 0) return x; // beyond |x| = 37 the step has no digits to add
  const u = (e * SQRT_2PI) / lastGauss;
  return x - u / (1 + 0.5 * x * u);
}
