/**
 * feols: OLS with any number of absorbed fixed effects, observation weights and a choice of
 * variance estimator, in float64 on the CPU (the reference backend). What fixest::feols is to R.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { collinearWith } from './collinear.js';
import { buildDesign, type ShiftedSums } from './design.js';
import { DEFAULT_DEMEAN_TOL, DEFAULT_MAX_ITER, demean, prepareFixedEffects } from './demean.js';
import { cachedFixedEffects } from './fe-cache.js';
import { attachState, computeVcov, type FitState } from './fit-state.js';
import { type ModelSpec, formatFormula, parseFormula } from './formula.js';
import { largestValue, overflowCause } from './overflow.js';
import { crossProducts, solveNormalEquations } from './linalg.js';
import type { FeolsResult } from './result.js';
import { makeSsc, type Ssc } from './ssc.js';
import { normalizeVcov, vcovLabel, type VcovSpec } from './vcov-registry.js';
import { defaultThreads } from './helper-threads.js';

export const REGRESSION_VERSION = '0.1.0';

export interface FeolsOptions {
  /** Default 'iid' (fixest >= 0.13). */
  readonly vcov?: VcovSpec;
  readonly ssc?: Partial<Ssc>;
  /** A numeric column name or one weight per row of data. */
  readonly weights?: string | Float64Array;
  /** Include residuals (as a plain array, estimation-sample order) in the result. */
  readonly keepResiduals?: boolean;
  /** Demeaning tolerance (default 1e-10) and iteration cap (default 10 000). */
  readonly tol?: number;
  readonly maxIter?: number;
  /** Remove FE singletons iteratively (fixest fixef.rm = "singleton"); default false like feols. */
  readonly removeSingletons?: boolean;
  /**
   * Demeaning that stops at maxIter before reaching tol is an error (the message gives the
   * iterations, the tolerance and the residual reached); true returns the result with
   * meta.converged = false instead (summaryText then warns).
   */
  readonly allowNonConvergence?: boolean;
  /** 'auto' (default): exact / reduced solvers where they apply; 'iterative': plain alternating projections with Irons-Tuck. */
  readonly demeanMethod?: 'auto' | 'iterative';
  /**
   * Threads for the demeaning, the calling one included (fixest's nthreads). Default: half the
   * cores, as fixest, or PANEL_LAB_FEOLS_THREADS. Results do not depend on it beyond rounding.
   */
  readonly threads?: number;
}

const now = () => performance.now();

function feolsThreads(threads: number | undefined): number {
  if (threads === undefined) return defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`feols: option threads must be a positive integer, got ${threads}`);
  return threads;
}

export function feols(formula: string | ModelSpec, data: PanelFrame, options: FeolsOptions = {}): FeolsResult {
  const t0 = now();
  const spec = typeof formula === 'string' ? parseFormula(formula) : formula;
  const feNames = spec.fixef.map((f) => f.join('^'));
  const vcovSpec = normalizeVcov(options.vcov ?? 'iid', feNames);
  const ssc = makeSsc(options.ssc);
  const threads = feolsThreads(options.threads);
  for (const c of vcovSpec.cluster) {
    if (!data.has(c)) throw new Error(`feols: cluster variable '${c}' not found; columns are: ${data.columnNames.join(', ')}`);
  }
  const tol = options.tol ?? DEFAULT_DEMEAN_TOL;
  if (!(tol > 0)) throw new Error(`feols: option tol must be positive, got ${tol}`);
  const maxIter = options.maxIter ?? DEFAULT_MAX_ITER;
  if (!(maxIter >= 1)) throw new Error(`feols: option maxIter must be >= 1, got ${maxIter}`);

  const design = buildDesign(spec, data, {
    ...(options.weights !== undefined ? { weights: options.weights } : {}),
    removeSingletons: options.removeSingletons ?? false,
    extraCategorical: vcovSpec.cluster.filter((c) => !feNames.includes(c)),
  });
  if (design.columns.length === 0) throw new Error(`feols: the model '${formatFormula(spec)}' has no regressors`);
  const t1 = now();

  const { n, y, weights: w, fe } = design;
  const structure = design.sharedSample ? cachedFixedEffects(fe, w, design.feSizes) : prepareFixedEffects(fe, w, design.feSizes);
  const dm = demean({ columns: [y, ...design.columns], fe, ...(w ? { weights: w } : {}), tol, maxIter, structure, method: options.demeanMethod ?? 'auto', threads });
  if (!dm.converged && !options.allowNonConvergence) {
    throw new Error(
      `feols: demeaning (${dm.method}) did not converge in ${dm.iterations} iterations (maxIter ${maxIter}, tol ${tol}` +
        `${dm.residual !== undefined ? `, relative residual reached ${dm.residual.toExponential(2)}` : ''}); raise maxIter, loosen tol, or pass allowNonConvergence: true to keep the unconverged fit`,
    );
  }
  const yDm = dm.columns[0]!;
  const xDm = dm.columns.slice(1);
  const t2 = now();

  // X'WX and X'Wy of every demeaned regressor in one blocked pass; the absorbed test reads its
  // diagonal, and the kept columns' sub-matrix holds exactly the sums a fit on them alone would.
  const kAll = xDm.length;
  const all = crossProducts(xDm, yDm, w);
  const centeredSS = xDm.map((_, j) => (fe.length > 0 ? rawCenteredSS(design.columns[j]!, w, design.rawSums?.columns[j] ?? null, n) : 0));
  // sums of squares that overflow (Inf, or NaN from Inf - Inf) would pass the absorbed and pivot
  // tests below as "collinear" and the regressor would vanish: stop and name it instead
  xDm.forEach((_, j) => {
    if (!Number.isFinite(all.xtx[j * kAll + j]!) || !Number.isFinite(centeredSS[j]!)) {
      throw new Error(`feols: the sums of squares of regressor '${design.names[j]}' are not finite: ${overflowCause({ name: design.names[j]!, values: design.columns[j]! }, w, design.rows)}`);
    }
  });
  const tss = spec.intercept || fe.length > 0 ? rawCenteredSS(y, w, design.rawSums?.y ?? null, n) : totalSumOfSquares(y, w, false);
  if (!Number.isFinite(tss)) throw new Error(`feols: the total sum of squares of '${spec.lhs}' is not finite: ${overflowCause({ name: spec.lhs, values: y }, w, design.rows)}`);
  // A regressor (almost) wiped out by the demeaning is collinear with the FE: left out before
  // the Cholesky, whose pivot test only sees the demeaned scale.
  const absorbed = xDm.map((_, j) => fe.length > 0 && isAbsorbed(all.xtx[j * kAll + j]!, centeredSS[j]!));
  const candidates = xDm.map((_, j) => j).filter((j) => !absorbed[j]);
  const sub = solveNormalEquations(subMatrix(all.xtx, kAll, candidates), Float64Array.from(candidates, (j) => all.xty[j]!), candidates.length);
  const fit = {
    coef: sub.coef,
    xtxInv: sub.xtxInv,
    kept: sub.kept.map((c) => candidates[c]!),
    dropped: [...sub.dropped.map((c) => candidates[c]!), ...absorbed.flatMap((a, j) => (a ? [j] : []))].sort((p, q) => p - q),
  };
  const collinear = fit.dropped.map((j) => design.names[j]!);
  if (fit.kept.length === 0) {
    throw new Error(`feols: singular design: every regressor is collinear${fe.length ? ' with the fixed effects' : ''} (${collinear.join(', ')})`);
  }
  const names = fit.kept.map((j) => design.names[j]!);
  const collinearTerms = collinearWith(
    fit.dropped.map((j) => ({ name: design.names[j]!, column: xDm[j]!, absorbed: absorbed[j]! })),
    fit.kept.map((j) => ({ name: design.names[j]!, column: xDm[j]! })),
    fit.xtxInv,
    w,
  );
  const k = names.length;
  const xKept = fit.kept.map((j) => xDm[j]!);
  const { e, ssr, ssrFe } = residualsInPlace(yDm, xKept, fit.coef, w);
  if (tss === 0 && (spec.intercept || fe.length > 0)) throw new Error(`feols: the dependent variable '${spec.lhs}' is constant over the ${n} observations used: there is nothing to explain (every t statistic would be NaN)`);
  if (!Number.isFinite(ssr) || fit.coef.some((b) => !Number.isFinite(b))) { // tss was checked above
    throw new Error(`feols: non-finite estimates for '${formatFormula(spec)}': ${largestValue([{ name: spec.lhs, values: y }, ...design.names.map((name, j) => ({ name, values: design.columns[j]! }))], design.rows ?? undefined)}`);
  }
  const t3 = now();

  const feSizes = design.feSizes;
  const state: FitState = {
    bread: fit.xtxInv,
    xDm: xKept,
    resid: e,
    weights: w ?? null,
    ssr,
    n,
    k,
    fe,
    feNames: design.feNames,
    feSizes,
    rows: design.rows,
    clusterCodes: new Map(),
    numericColumns: new Map(),
  };
  const v = computeVcov(state, vcovSpec, ssc, data);
  const t4 = now();

  const feDof = fe.length > 0 ? feSizes.reduce((a, b) => a + b, 0) - (fe.length - 1) : 0;
  const nparams = k + feDof;
  const r2 = 1 - ssr / tss;
  const nobsOriginal = data.nrows;
  const result: FeolsResult = {
    kind: 'feols',
    formula: formatFormula(spec),
    spec,
    coefNames: Object.freeze(names),
    coefficients: Object.freeze(Array.from(fit.coef)),
    se: Object.freeze(diagSqrt(v.vcov, k)),
    vcov: toNested(v.vcov, k),
    vcovSpec,
    vcovLabel: vcovLabel(vcovSpec),
    ssc,
    nobs: n,
    nobsOriginal,
    nobsDropped: nobsOriginal - n,
    dropped: design.dropped,
    collinear: Object.freeze(collinear),
    collinearWith: Object.freeze(collinearTerms),
    fixef: Object.freeze(design.feNames.map((name, q) => Object.freeze({ name, size: feSizes[q]! }))),
    nClusters: v.nClusters,
    dof: Object.freeze({ k, fe: feDof, nparams, kVcov: v.kVcov, t: v.tDf, residual: n - nparams, ...(v.dfCoef ? { coef: v.dfCoef } : {}) }),
    weights: typeof options.weights === 'string' ? options.weights : options.weights ? '(vector)' : null,
    ssr,
    tss,
    r2,
    adjR2: 1 - ((1 - r2) * (n - (spec.intercept || fe.length > 0 ? 1 : 0))) / (n - nparams),
    withinR2: fe.length > 0 ? 1 - ssr / ssrFe : null,
    rmse: Math.sqrt(ssr / n),
    sigma: Math.sqrt(ssr / (n - nparams)),
    ...(options.keepResiduals ? { residuals: Object.freeze(Array.from(e)) } : {}),
    meta: Object.freeze({
      backend: 'cpu',
      precision: 64,
      demeanMethod: dm.method,
      iterations: dm.iterations,
      converged: dm.converged,
      tol,
      seed: null,
      versions: Object.freeze({ '@panel-lab/regression': REGRESSION_VERSION, node: process.version }),
      timings: Object.freeze({ design_ms: t1 - t0, demean_ms: t2 - t1, fit_ms: t3 - t2, vcov_ms: t4 - t3, total_ms: now() - t0 }),
    }),
  };
  Object.freeze(result);
  attachState(result, state);
  return result;
}

/** Σ w x̃² (the demeaned column's X'WX diagonal) below 1e-10 of Σ w (x - x̄)²: the column lies in the span of the fixed effects. */
function isAbsorbed(demeanedSS: number, centeredSS: number): boolean {
  return !(demeanedSS > 1e-10 * centeredSS);
}

/** Σ w (x - x̄)² of a raw column, from the design's shifted sums when it has them (no pass). */
function rawCenteredSS(x: Float64Array, w: Float64Array | undefined, sums: ShiftedSums | null, n: number): number {
  if (sums && !w) return sums.s2 - (sums.s1 * sums.s1) / n;
  return totalSumOfSquares(x, w, true);
}

function subMatrix(a: Float64Array, k: number, idx: readonly number[]): Float64Array {
  const p = idx.length;
  const out = new Float64Array(p * p);
  for (let r = 0; r < p; r++) for (let c = 0; c < p; c++) out[r * p + c] = a[idx[r]! * k + idx[c]!]!;
  return out;
}

/**
 * Residuals, SSR and the FE-only SSR (Σ w ỹ²), in place: the demeaned y becomes the residuals
 * (it is ours, from demean). The demeaned regressors are kept as they are: the fit state holds
 * them (CR2 / CR3 need the design) and the scores w·e·x̃ are formed only when a vcov uses them.
 */
function residualsInPlace(yDm: Float64Array, xs: readonly Float64Array[], b: Float64Array, w: Float64Array | undefined) {
  const sums = new Float64Array(2);
  const n = yDm.length;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (w) residualsWeighted(yDm, xs, b, w, i0, i1, sums);
    else if (xs.length === 1) residualsOne(yDm, xs[0]!, b[0]!, i0, i1, sums);
    else residualsUnweighted(yDm, xs, b, i0, i1, sums);
  }
  return { e: yDm, ssr: sums[0]!, ssrFe: sums[1]! };
}

/**
 * One-pass loops run as kernels over row blocks, the running sums carried in `out` (the same
 * order of additions as one loop): a kernel called per block has its whole body's type feedback
 * after the first block and is compiled once; a single long loop was compiled on-stack, deoptimized
 * at its first statement after the loop and ran interpreted (boxing every double) call after call.
 */
const BLOCK = 4096;

function residualsOne(y: Float64Array, x: Float64Array, b0: number, i0: number, i1: number, out: Float64Array): void {
  let ssr = out[0]!;
  let ssrFe = out[1]!;
  for (let i = i0; i < i1; i++) {
    const yi = y[i]!;
    const ei = yi - b0 * x[i]!;
    y[i] = ei;
    ssr += ei * ei;
    ssrFe += yi * yi;
  }
  out[0] = ssr;
  out[1] = ssrFe;
}

function residualsUnweighted(y: Float64Array, xs: readonly Float64Array[], b: Float64Array, i0: number, i1: number, out: Float64Array): void {
  const k = xs.length;
  let ssr = out[0]!;
  let ssrFe = out[1]!;
  for (let i = i0; i < i1; i++) {
    const yi = y[i]!;
    let ei = yi;
    for (let j = 0; j < k; j++) ei -= b[j]! * xs[j]![i]!;
    y[i] = ei;
    ssr += ei * ei;
    ssrFe += yi * yi;
  }
  out[0] = ssr;
  out[1] = ssrFe;
}

function residualsWeighted(y: Float64Array, xs: readonly Float64Array[], b: Float64Array, w: Float64Array, i0: number, i1: number, out: Float64Array): void {
  const k = xs.length;
  let ssr = out[0]!;
  let ssrFe = out[1]!;
  for (let i = i0; i < i1; i++) {
    const yi = y[i]!;
    let ei = yi;
    for (let j = 0; j < k; j++) ei -= b[j]! * xs[j]![i]!;
    y[i] = ei;
    const wi = w[i]!;
    ssr += wi * ei * ei;
    ssrFe += wi * yi * yi;
  }
  out[0] = ssr;
  out[1] = ssrFe;
}

/** Σ w (y - ȳ)² in one pass, shifted by y[0] against cancellation (uncentred: Σ w y²). */
function totalSumOfSquares(y: Float64Array, w: Float64Array | undefined, centered: boolean): number {
  const c = centered && y.length > 0 ? y[0]! : 0;
  const s = new Float64Array(3);
  const n = y.length;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    if (w) weightedShiftedSums(y, w, c, i0, i1, s);
    else unweightedShiftedSums(y, c, i0, i1, s);
  }
  if (!w) s[0] = n;
  return centered ? s[2]! - (s[1]! * s[1]!) / s[0]! : s[2]!;
}

function weightedShiftedSums(y: Float64Array, w: Float64Array, c: number, i0: number, i1: number, out: Float64Array): void {
  let sw = out[0]!;
  let s1 = out[1]!;
  let s2 = out[2]!;
  for (let i = i0; i < i1; i++) {
    const d = y[i]! - c;
    const wd = w[i]! * d;
    sw += w[i]!;
    s1 += wd;
    s2 += wd * d;
  }
  out[0] = sw;
  out[1] = s1;
  out[2] = s2;
}

function unweightedShiftedSums(y: Float64Array, c: number, i0: number, i1: number, out: Float64Array): void {
  let s1 = out[1]!;
  let s2 = out[2]!;
  for (let i = i0; i < i1; i++) {
    const d = y[i]! - c;
    s1 += d;
    s2 += d * d;
  }
  out[1] = s1;
  out[2] = s2;
}

export function diagSqrt(v: Float64Array, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.sqrt(v[j * k + j]!));
}

export function toNested(v: Float64Array, k: number): readonly (readonly number[])[] {
  return Object.freeze(Array.from({ length: k }, (_, r) => Object.freeze(Array.from(v.subarray(r * k, r * k + k)))));
}
