/** Joint Wald test of linear restrictions R β = r, using the result's vcov (F and chi² forms). */
import { chisqUpperP, fUpperP } from './distributions.js';
import { choleskyInverse, choleskyPivoted } from './linalg.js';
import type { FeolsResult } from './result.js';

export interface WaldTest {
  readonly terms: readonly string[] | null;
  /** Number of restrictions. */
  readonly df1: number;
  /** Denominator df of the F form (the result's t df). */
  readonly df2: number;
  readonly stat: number;
  readonly p: number;
  readonly chi2: number;
  readonly pChi2: number;
  readonly vcov: string;
}

/**
 * `terms` (names, or a RegExp matching names) tests those coefficients = 0; otherwise `R` rows
 * (each of length k) with optional `r`. F = W / q with df (q, dof.t), as fixest's wald().
 */
export function waldTest(
  result: FeolsResult,
  restriction: readonly string[] | RegExp | { R: readonly (readonly number[])[]; r?: readonly number[] },
): WaldTest {
  const k = result.coefNames.length;
  let R: number[][];
  let terms: string[] | null = null;
  let rhs: number[];
  if (Array.isArray(restriction) || restriction instanceof RegExp) {
    terms = restriction instanceof RegExp ? result.coefNames.filter((t) => restriction.test(t)) : [...(restriction as readonly string[])];
    if (terms.length === 0) throw new Error(`waldTest: no coefficient matches ${String(restriction)}`);
    R = terms.map((t) => {
      const j = result.coefNames.indexOf(t);
      if (j < 0) throw new Error(`waldTest: term '${t}' not in the model; terms are: ${result.coefNames.join(', ')}`);
      return Array.from({ length: k }, (_, c) => (c === j ? 1 : 0));
    });
    rhs = R.map(() => 0);
  } else {
    const spec = restriction as { R: readonly (readonly number[])[]; r?: readonly number[] };
    R = spec.R.map((row, i) => {
      if (row.length !== k) throw new Error(`waldTest: row ${i} of R has ${row.length} entries, expected ${k} (one per coefficient)`);
      return [...row];
    });
    rhs = spec.r ? [...spec.r] : R.map(() => 0);
    if (rhs.length !== R.length) throw new Error(`waldTest: r has ${rhs.length} entries, expected ${R.length}`);
  }
  const q = R.length;
  const b = result.coefficients;
  const V = result.vcov;
  const diff = R.map((row, i) => row.reduce((s, x, c) => s + x * b[c]!, 0) - rhs[i]!);
  const M = new Float64Array(q * q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    let s = 0;
    for (let a = 0; a < k; a++) {
      if (R[i]![a] === 0) continue;
      for (let c = 0; c < k; c++) s += R[i]![a]! * V[a]![c]! * R[j]![c]!;
    }
    M[i * q + j] = s;
  }
  const ch = choleskyPivoted(M, q);
  if (ch.dropped.length) throw new Error(`waldTest: the restrictions are linearly dependent (row(s) ${ch.dropped.join(', ')} of R)`);
  const Minv = choleskyInverse(ch.factor, q);
  let chi2 = 0;
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) chi2 += diff[i]! * Minv[i * q + j]! * diff[j]!;
  const df2 = result.dof.t;
  const stat = chi2 / q;
  return Object.freeze({
    terms: terms ? Object.freeze(terms) : null,
    df1: q,
    df2,
    stat,
    p: fUpperP(stat, q, df2),
    chi2,
    pChi2: chisqUpperP(chi2, q),
    vcov: result.vcovLabel,
  });
}
