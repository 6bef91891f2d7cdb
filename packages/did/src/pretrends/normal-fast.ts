/**
 * Standard normal cdf and quantile for the lattice's inner loop, where @stdlib's general
 * (mu, sigma) versions spend time on argument checks, and which runs K * N * d times per rectangle.
 * - cdf: Hart's rational approximation (algorithm 5666, as given by West 2005, "Better approximations
 *   to cumulative normal functions") for |x| < 7.07, a continued fraction beyond: absolute error within
 *   a few 1e-16 everywhere, relative error ~1e-15 for x > -3, growing to ~1e-8 in the far lower tail
 *   (x < -6, where Phi < 1e-9 and the integrand's weight is negligible).
 * - quantile: Wichura's AS 241, relative error ~1e-16 over (1e-300, 1), cheaper than a refined
 *   Acklam (no exp; in the central range no log).
 * test/normal-fast.test.ts checks both against @stdlib over the whole range.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Phi(-z) = 1 - Phi(z) for z >= 0. */
function upperTail(z: number): number {
  if (z > 37) return 0;
  const e = Math.exp(-0.5 * z * z);
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

// Wichura (1988), algorithm AS 241 (PPND16): rational approximations in three ranges of p, relative
// error about 1e-16, no exp and, in the central range 0.075 < p < 0.925, no log either.
const CENTRAL_NUM = [2509.0809287301226727, 33430.575583588128105, 67265.770927008700853, 45921.953931549871457, 13731.693765509461125, 1971.5909503065514427, 133.14166789178437745, 3.387132872796366608] as const;
const CENTRAL_DEN = [5226.495278852545925, 28729.085735721942674, 39307.89580009271061, 21213.794301586595867, 5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1] as const;
const NEAR_NUM = [7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177, 1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959, 1.42343711074968357734] as const;
const NEAR_DEN = [1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966, 0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1] as const;
const FAR_NUM = [2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386, 0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358, 5.4637849111641143699, 6.6579046435011037772] as const;
const FAR_DEN = [2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5, 7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531, 0.59983220655588793769, 1] as const;

const poly7 = (c: readonly number[], r: number) => ((((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) * r + c[6]!) * r + c[7]!;

/** Phi^{-1}(p) for p in (0, 1); callers clamp p away from 0 and 1. */
export function stdNormalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly7(CENTRAL_NUM, r)) / poly7(CENTRAL_DEN, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) { r -= 1.6; x = poly7(NEAR_NUM, r) / poly7(NEAR_DEN, r); }
  else { r -= 5; x = poly7(FAR_NUM, r) / poly7(FAR_DEN, r); }
  return q < 0 ? -x : x;
}
