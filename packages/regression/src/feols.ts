/**
 * feols: OLS with any number of absorbed fixed effects, observation weights and a choice of
 * variance estimator, in float64 on the CPU (the reference backend). What fixest::feols is to R.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { collinearWith } from './collinear.js';
import { buildDesign } from './design.js';
import { DEFAULT_DEMEAN_TOL, DEFAULT_MAX_ITER, demean, prepareFixedEffects } from './demean.js';
import { attachState, computeVcov, type FitState } from './fit-state.js';
import { type ModelSpec, formatFormula, parseFormula } from './formula.js';
import { olsFit } from './linalg.js';
import type { FeolsResult } from './result.js';
import { makeSsc, type Ssc } from './ssc.js';
import { normalizeVcov, vcovLabel, type VcovSpec } from './vcov-registry.js';

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
}

const now = () => performance.now();

export function feols(formula: string | ModelSpec, data: PanelFrame, options: FeolsOptions = {}): FeolsResult {
  const t0 = now();
  const spec = typeof formula === 'string' ? parseFormula(formula) : formula;
  const feNames = spec.fixef.map((f) => f.join('^'));
  const vcovSpec = normalizeVcov(options.vcov ?? 'iid', feNames);
  const ssc = makeSsc(options.ssc);
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
  const structure = prepareFixedEffects(fe, w, design.feSizes);
  const dm = demean({ columns: [y, ...design.columns], fe, ...(w ? { weights: w } : {}), tol, maxIter, structure, method: options.demeanMethod ?? 'auto' });
  if (!dm.converged && !options.allowNonConvergence) {
    throw new Error(
      `feols: demeaning (${dm.method}) did not converge in ${dm.iterations} iterations (maxIter ${maxIter}, tol ${tol}` +
        `${dm.residual !== undefined ? `, relative residual reached ${dm.residual.toExponential(2)}` : ''}); raise maxIter, loosen tol, or pass allowNonConvergence: true to keep the unconverged fit`,
    );
  }
  const yDm = dm.columns[0]!;
  const xDm = dm.columns.slice(1);
  const t2 = now();

  // A regressor (almost) wiped out by the demeaning is collinear with the FE: left out before
  // the Cholesky, whose pivot test only sees the demeaned scale.
  const absorbed = fe.length > 0 ? xDm.map((x, j) => isAbsorbed(design.columns[j]!, x, w)) : xDm.map(() => false);
  const candidates = xDm.map((_, j) => j).filter((j) => !absorbed[j]);
  const sub = olsFit(candidates.map((j) => xDm[j]!), yDm, { ...(w ? { weights: w } : {}), residuals: false });
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
  const tss = totalSumOfSquares(y, w, spec.intercept || fe.length > 0);
  if (tss === 0 && (spec.intercept || fe.length > 0)) throw new Error(`feols: the dependent variable '${spec.lhs}' is constant over the ${n} observations used: there is nothing to explain (every t statistic would be NaN)`);
  if (!Number.isFinite(ssr) || !Number.isFinite(tss) || fit.coef.some((b) => !Number.isFinite(b))) {
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

/** Σ w x̃² below 1e-10 of Σ w (x - x̄)²: the column lies in the span of the fixed effects. */
/** Names the variable with the largest magnitude (the usual cause: values whose squares overflow float64). */
function largestValue(vars: readonly { name: string; values: Float64Array }[], rows: ArrayLike<number> | undefined): string {
  let best = { name: '', value: 0, at: 0 };
  for (const v of vars) {
    for (let i = 0; i < v.values.length; i++) {
      const a = Math.abs(v.values[i]!);
      if (!(a <= Math.abs(best.value))) best = { name: v.name, value: v.values[i]!, at: i };
    }
  }
  const row = rows ? rows[best.at]! : best.at;
  return `variable '${best.name}' holds ${best.value} at row ${row} (0-based): values this large overflow float64 sums of squares; rescale it`;
}

function isAbsorbed(raw: Float64Array, dm: Float64Array, w: Float64Array | undefined): boolean {
  const n = raw.length;
  const c = raw[0] ?? 0;
  let sw = 0;
  let s1 = 0;
  let s2 = 0;
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    const d = raw[i]! - c;
    sw += wi;
    s1 += wi * d;
    s2 += wi * d * d;
    d2 += wi * dm[i]! * dm[i]!;
  }
  const centered = s2 - (s1 * s1) / sw;
  return !(d2 > 1e-10 * centered);
}

/**
 * Residuals, SSR and the FE-only SSR (Σ w ỹ²), in place: the demeaned y becomes the residuals
 * (it is ours, from demean). The demeaned regressors are kept as they are: the fit state holds
 * them (CR2 / CR3 need the design) and the scores w·e·x̃ are formed only when a vcov uses them.
 */
function residualsInPlace(yDm: Float64Array, xs: readonly Float64Array[], b: Float64Array, w: Float64Array | undefined) {
  const n = yDm.length;
  const k = xs.length;
  let ssr = 0;
  let ssrFe = 0;
  if (k === 1 && !w) {
    // the common TWFE case, one fused pass
    const x = xs[0]!;
    const b0 = b[0]!;
    for (let i = 0; i < n; i++) {
      const yi = yDm[i]!;
      const ei = yi - b0 * x[i]!;
      yDm[i] = ei;
      ssr += ei * ei;
      ssrFe += yi * yi;
    }
    return { e: yDm, ssr, ssrFe };
  }
  for (let i = 0; i < n; i++) {
    const yi = yDm[i]!;
    let ei = yi;
    for (let j = 0; j < k; j++) ei -= b[j]! * xs[j]![i]!;
    yDm[i] = ei;
    const wi = w ? w[i]! : 1;
    ssr += wi * ei * ei;
    ssrFe += wi * yi * yi;
  }
  return { e: yDm, ssr, ssrFe };
}

/** Σ w (y - ȳ)² in one pass, shifted by y[0] against cancellation. */
function totalSumOfSquares(y: Float64Array, w: Float64Array | undefined, centered: boolean): number {
  const n = y.length;
  const c = centered ? y[0]! : 0;
  let sw = 0;
  let s1 = 0;
  let s2 = 0;
  if (w) {
    for (let i = 0; i < n; i++) {
      const d = y[i]! - c;
      const wd = w[i]! * d;
      sw += w[i]!;
      s1 += wd;
      s2 += wd * d;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = y[i]! - c;
      s1 += d;
      s2 += d * d;
    }
    sw = n;
  }
  return centered ? s2 - (s1 * s1) / sw : s2;
}

export function diagSqrt(v: Float64Array, k: number): number[] {
  return Array.from({ length: k }, (_, j) => Math.sqrt(v[j * k + j]!));
}

export function toNested(v: Float64Array, k: number): readonly (readonly number[])[] {
  return Object.freeze(Array.from({ length: k }, (_, r) => Object.freeze(Array.from(v.subarray(r * k, r * k + k)))));
}
