import { chiSquareSurvival, invertSpd, logDetSpd, symmetricEigen } from './linalg.js';
import { finishResult, toList, type ResultMethods, type TidyRow } from './result.js';
import { varimaxRotation } from './varimax.js';

/** Indicators as a column-major n×p matrix with names (all "positive" unless listed as negative). */
export interface IndicatorMatrix {
  readonly x: Float64Array;
  readonly n: number;
  readonly names: readonly string[];
}

export interface FactorIndexOptions {
  /** Number of factors; default Kaiser (eigenvalue > 1, at least 1). */
  readonly nFactors?: number;
  /** Varimax with Kaiser normalisation (default true; skipped when one factor). */
  readonly rotate?: boolean;
  /**
   * 'principal_components' (default, SPSS/psych::principal) or 'principal_axis' (iterated communalities
   * from squared multiple correlations, as psych::fa(fm = "pa"): stops when the sum of communalities
   * changes by less than `tolerance` (default 0.001) or after `maxIter` (default 50) iterations).
   */
  readonly extraction?: Extraction;
  readonly tolerance?: number;
  readonly maxIter?: number;
}

export type Extraction = 'principal_components' | 'principal_axis';

export interface FactorIndexData {
  readonly kind: 'factor_index';
  readonly extraction: Extraction;
  /** Per indicator: sum of squared (unrotated) loadings. */
  readonly communalities: readonly number[];
  /** Principal-axis iterations run and whether the criterion was met (null for principal components). */
  readonly iterations: number | null;
  readonly converged: boolean | null;
  readonly n: number;
  readonly indicators: readonly string[];
  readonly kmo: number;
  readonly kmoPerIndicator: readonly number[];
  readonly bartlett: { readonly chi2: number; readonly df: number; readonly pValue: number };
  readonly eigenvalues: readonly number[];
  /**
   * Share of total variance per unrotated component: eigenvalue / p for all p principal components, or the
   * m extracted factors' sums of squared loadings / p for principal-axis factoring.
   */
  readonly varianceExplained: readonly number[];
  /** Share of total variance per retained rotated factor (sum of squared rotated loadings / p). */
  readonly rotatedVarianceExplained: readonly number[];
  readonly nFactors: number;
  /** p×m loadings, row per indicator. */
  readonly loadings: readonly (readonly number[])[];
  readonly rotatedLoadings: readonly (readonly number[])[];
  /** p×m regression-method score coefficients R⁻¹Λ_rot (apply to z-standardised indicators). */
  readonly scoreCoefficients: readonly (readonly number[])[];
  /** Weight of each factor in the composite (v_k / Σv). */
  readonly factorWeights: readonly number[];
  /** Composite per row, min–max scaled to [0, 1]. */
  readonly index: readonly number[];
  /** sqrt of every eigenvalue of the correlation matrix (prcomp's sdev). */
  readonly sdev: readonly number[];
  /** p×p eigenvectors of the correlation matrix, row per indicator, column k signed so its entries sum to ≥ 0. */
  readonly eigenvectors: readonly (readonly number[])[];
  /** p×p principal-component loadings: eigenvectors × sdev (column k scaled by sdev_k). */
  readonly componentLoadings: readonly (readonly number[])[];
  /** n×p principal-component scores per row: z-standardised indicators × eigenvectors (prcomp(scale. = TRUE)$x, same signs). */
  readonly pcScores: readonly (readonly number[])[];
  /** m×m orthogonal varimax rotation T, rotatedLoadings = loadings · T (identity when not rotated). */
  readonly rotation: readonly (readonly number[])[];
  /** n×m regression (Thomson) factor scores per row: z-standardised indicators × scoreCoefficients. */
  readonly factorScores: readonly (readonly number[])[];
  /**
   * Unrotated PC-score composite: Σ_k (λ_k / Σ_{l≤m} λ_l) · pcScores_k over the m retained components,
   * min–max scaled to [0, 1] (beside `index`, the rotated regression-score composite).
   */
  readonly pcIndex: readonly number[];
  /** Weights λ_k / Σ_{l≤m} λ_l of the PC-score composite. */
  readonly pcWeights: readonly number[];
  readonly standardization: { readonly mean: readonly number[]; readonly sd: readonly number[] };
}

export type FactorIndexResult = FactorIndexData & ResultMethods;

/** METHODS §17.1: PCA (or principal-axis) extraction on the correlation matrix, varimax, Thomson scores, variance-share weights, min–max. */
export function factorIndex(ind: IndicatorMatrix, opts: FactorIndexOptions = {}): FactorIndexResult {
  const { n, names } = ind;
  const p = names.length;
  if (p < 2) throw new Error(`factorIndex needs at least 2 indicators, got ${p}`);
  if (n <= p) throw new Error(`factorIndex needs more rows than indicators (n=${n}, p=${p})`);
  const { z, mean, sd } = standardize(ind);
  const r = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += z[a * n + i]! * z[b * n + i]!;
      r[a * p + b] = r[b * p + a] = s / (n - 1);
    }
  }
  const eig = symmetricEigen(r, p);
  const kaiser = Math.max(1, toList(eig.values).filter((v) => v > 1).length);
  const m = opts.nFactors ?? kaiser;
  if (!Number.isInteger(m) || m < 1 || m > p) throw new Error(`option nFactors must be an integer in 1..${p}, got ${opts.nFactors}`);
  const extraction = opts.extraction ?? 'principal_components';
  if (extraction !== 'principal_components' && extraction !== 'principal_axis') throw new Error(`option extraction must be 'principal_components' or 'principal_axis', got '${extraction}'`);
  const paf = extraction === 'principal_axis' ? principalAxis(r, p, m, opts.tolerance ?? 0.001, opts.maxIter ?? 50) : null;
  const load = paf ? paf.load : componentLoadings(eig, p, m);
  const communalities = Array.from({ length: p }, (_, j) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += load[j * m + k]! ** 2;
    return s;
  });
  const rot = m > 1 && opts.rotate !== false ? varimaxRotation(load, p, m) : null;
  const rotated = rot ? rot.loadings : Float64Array.from(load);
  const rotation = rot ? rot.rotation : Float64Array.from({ length: m * m }, (_, i) => (i % (m + 1) === 0 ? 1 : 0));
  const rinv = invertSpd(r, p, 'indicator correlation matrix');
  const coef = new Float64Array(p * m);
  for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) {
    let s = 0;
    for (let l = 0; l < p; l++) s += rinv[j * p + l]! * rotated[l * m + k]!;
    coef[j * m + k] = s;
  }
  const v = Array.from({ length: m }, (_, k) => {
    let s = 0;
    for (let j = 0; j < p; j++) s += rotated[j * m + k]! ** 2;
    return s;
  });
  const vSum = v.reduce((a, b) => a + b, 0);
  const weights = v.map((x) => x / vSum);
  const composite = new Float64Array(n);
  const factorScores: number[][] = [];
  for (let i = 0; i < n; i++) {
    let de = 0;
    const fi: number[] = [];
    for (let k = 0; k < m; k++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += z[j * n + i]! * coef[j * m + k]!;
      fi.push(f);
      de += weights[k]! * f;
    }
    factorScores.push(fi);
    composite[i] = de;
  }
  // all p components: signed eigenvectors, sdev-scaled loadings, scores and the variance-share PC composite
  const sdev = toList(eig.values).map((v) => Math.sqrt(Math.max(0, v)));
  const vec = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    let sum = 0;
    for (let j = 0; j < p; j++) sum += eig.vectors[j * p + k]!;
    const sign = sum < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) vec[j * p + k] = sign * eig.vectors[j * p + k]!;
  }
  const lamM = toList(eig.values).slice(0, m);
  const lamSum = lamM.reduce((a, b) => a + b, 0);
  const pcWeights = lamM.map((v) => v / lamSum);
  const pcScores: number[][] = [];
  const pcComposite = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const si: number[] = [];
    let c = 0;
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += z[j * n + i]! * vec[j * p + k]!;
      si.push(s);
      if (k < m) c += pcWeights[k]! * s;
    }
    pcScores.push(si);
    pcComposite[i] = c;
  }
  const { kmo, perIndicator } = kmoMeasure(r, rinv, p);
  const chi2 = -(n - 1 - (2 * p + 5) / 6) * logDetSpd(r, p, 'indicator correlation matrix');
  const df = (p * (p - 1)) / 2;
  const rows = (a: Float64Array, cols: number) => Array.from({ length: p }, (_, j) => toList(a.subarray(j * cols, (j + 1) * cols)));
  return finishResult<FactorIndexData>({
    kind: 'factor_index', extraction, communalities, iterations: paf ? paf.iterations : null, converged: paf ? paf.converged : null,
    n, indicators: [...names], kmo, kmoPerIndicator: perIndicator,
    bartlett: { chi2, df, pValue: chiSquareSurvival(chi2, df) },
    eigenvalues: toList(eig.values),
    varianceExplained: paf ? columnSumsOfSquares(load, p, m).map((e) => e / p) : toList(eig.values).map((e) => e / p),
    rotatedVarianceExplained: v.map((x) => x / p), nFactors: m,
    loadings: rows(load, m), rotatedLoadings: rows(rotated, m), scoreCoefficients: rows(coef, m),
    factorWeights: weights, index: minMax(composite, 'factor composite'), standardization: { mean, sd },
    sdev, eigenvectors: rows(vec, p), componentLoadings: Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, k) => vec[j * p + k]! * sdev[k]!)),
    pcScores, rotation: Array.from({ length: m }, (_, a) => toList(rotation.subarray(a * m, (a + 1) * m))), factorScores,
    pcIndex: minMax(pcComposite, 'PC-score composite'), pcWeights,
  }, { tidy: tidyFactor, plotData: (res) => ({ series: [{ name: 'scree', x: res.eigenvalues.map((_, k) => k + 1), estimate: [...res.eigenvalues] }] }) });
}

/** Λ = V_m Λ_m^{1/2}, each factor signed so its loadings sum to a positive number (as psych). */
function componentLoadings(eig: { values: ArrayLike<number>; vectors: ArrayLike<number> }, p: number, m: number): Float64Array {
  const load = new Float64Array(p * m);
  for (let k = 0; k < m; k++) {
    const root = Math.sqrt(Math.max(0, eig.values[k]!));
    let sum = 0;
    for (let j = 0; j < p; j++) sum += eig.vectors[j * p + k]!;
    const sign = sum < 0 ? -1 : 1;
    for (let j = 0; j < p; j++) load[j * m + k] = sign * eig.vectors[j * p + k]! * root;
  }
  return load;
}

/**
 * Principal-axis factoring (METHODS §17.1.3, psych::fa fm = "pa"): start from squared multiple
 * correlations 1 − 1/diag(R⁻¹) on the diagonal, take the m leading eigenpairs of the reduced matrix, put the
 * implied communalities back on the diagonal, repeat until their sum changes by less than `tol`.
 */
function principalAxis(r: Float64Array, p: number, m: number, tol: number, maxIter: number) {
  if (!(tol > 0)) throw new Error(`option tolerance must be > 0, got ${tol}`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new Error(`option maxIter must be a positive integer, got ${maxIter}`);
  const rinv = invertSpd(r, p, 'indicator correlation matrix');
  const reduced = Float64Array.from(r);
  let comm = 0;
  for (let j = 0; j < p; j++) {
    reduced[j * p + j] = 1 - 1 / rinv[j * p + j]!;
    comm += reduced[j * p + j]!;
  }
  let load: Float64Array = new Float64Array(p * m);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    load = componentLoadings(symmetricEigen(reduced, p), p, m);
    iterations++;
    let next = 0;
    for (let j = 0; j < p; j++) {
      let h2 = 0;
      for (let k = 0; k < m; k++) h2 += load[j * m + k]! ** 2;
      reduced[j * p + j] = h2;
      next += h2;
    }
    const err = Math.abs(comm - next);
    comm = next;
    if (err < tol) { converged = true; break; }
  }
  return { load, iterations, converged };
}

function columnSumsOfSquares(a: Float64Array, p: number, m: number): number[] {
  return Array.from({ length: m }, (_, k) => {
    let s = 0;
    for (let j = 0; j < p; j++) s += a[j * m + k]! ** 2;
    return s;
  });
}

function tidyFactor(r: FactorIndexData): TidyRow[] {
  const out: TidyRow[] = [];
  r.indicators.forEach((name, j) => {
    for (let k = 0; k < r.nFactors; k++) {
      out.push({ term: name, factor: k + 1, loading: r.loadings[j]![k]!, rotated_loading: r.rotatedLoadings[j]![k]!,
        score_coefficient: r.scoreCoefficients[j]![k]!, factor_weight: r.factorWeights[k]!,
        rotated_variance_explained: r.rotatedVarianceExplained[k]! });
    }
  });
  return out;
}

function kmoMeasure(r: Float64Array, rinv: Float64Array, p: number): { kmo: number; perIndicator: number[] } {
  let r2All = 0;
  let a2All = 0;
  const perIndicator: number[] = [];
  for (let i = 0; i < p; i++) {
    let r2 = 0;
    let a2 = 0;
    for (let j = 0; j < p; j++) {
      if (i === j) continue;
      r2 += r[i * p + j]! ** 2;
      a2 += (rinv[i * p + j]! / Math.sqrt(rinv[i * p + i]! * rinv[j * p + j]!)) ** 2;
    }
    perIndicator.push(r2 / (r2 + a2));
    r2All += r2;
    a2All += a2;
  }
  return { kmo: r2All / (r2All + a2All), perIndicator };
}

function standardize(ind: IndicatorMatrix): { z: Float64Array; mean: number[]; sd: number[] } {
  const { n, names, x } = ind;
  const z = new Float64Array(x.length);
  const mean: number[] = [];
  const sd: number[] = [];
  names.forEach((name, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[j * n + i]!;
      if (!Number.isFinite(v)) throw new Error(`indicator '${name}' row ${i} is missing or not finite`);
      s += v;
    }
    const mu = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[j * n + i]! - mu) ** 2;
    const sigma = Math.sqrt(ss / (n - 1));
    if (!(sigma > 0)) throw new Error(`indicator '${name}' is constant`);
    for (let i = 0; i < n; i++) z[j * n + i] = (x[j * n + i]! - mu) / sigma;
    mean.push(mu);
    sd.push(sigma);
  });
  return { z, mean, sd };
}

function minMax(a: Float64Array, what: string): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (!(hi > lo)) throw new Error(`${what} is constant; cannot min–max scale`);
  return Array.from(a, (v) => (v - lo) / (hi - lo));
}
