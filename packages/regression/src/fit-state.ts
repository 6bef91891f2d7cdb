/**
 * What withVcov needs to recompute a variance without refitting (bread, scores, FE codes,
 * cluster codes), held outside the JSON-safe result in a WeakMap, so results never embed data.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { sampleCodes, sampleNumeric } from './design.js';
import type { Ssc } from './ssc.js';
import { type NormalizedVcov, vcovEntry } from './vcov-registry.js';
import { nestedIn } from './nesting.js';

export interface FitState {
  readonly bread: Float64Array;
  /** Demeaned (FE-partialled) kept regressors, one column of n each; CR2/CR3 need the design. */
  readonly xDm: readonly Float64Array[];
  /** Residuals on the estimation sample. */
  readonly resid: Float64Array;
  readonly weights: Float64Array | null;
  readonly ssr: number;
  readonly n: number;
  readonly k: number;
  readonly fe: readonly Int32Array[];
  readonly feNames: readonly string[];
  readonly feSizes: readonly number[];
  readonly rows: Int32Array | null;
  readonly clusterCodes: Map<string, Int32Array>;
  /** Numeric columns read for a vcov (Conley lat/lon), estimation-sample order. */
  readonly numericColumns: Map<string, Float64Array>;
}

const scoreCache = new WeakMap<FitState, readonly Float64Array[]>();

/** Scores w·e·x̃ (k columns of n), computed on first use and cached: iid never needs them. */
export function stateScores(state: FitState): readonly Float64Array[] {
  let s = scoreCache.get(state);
  if (!s) {
    const { resid: e, weights: w } = state;
    s = state.xDm.map((x) => (w ? scoresWeighted(x, e, w) : scoresUnweighted(x, e)));
    scoreCache.set(state, s);
  }
  return s;
}

// Leaf kernels (not closures made per call), so they are compiled once and stay compiled.
function scoresUnweighted(x: Float64Array, e: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * e[i]!;
  return out;
}

function scoresWeighted(x: Float64Array, e: Float64Array, w: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * e[i]! * w[i]!;
  return out;
}

const states = new WeakMap<object, FitState>();

export function attachState(result: object, state: FitState): void {
  states.set(result, state);
}

export function getState(result: object): FitState {
  const s = states.get(result);
  if (!s) throw new Error('withVcov: this result carries no fit state (it was deserialized or built by hand); refit with feols(..., { vcov })');
  return s;
}

export interface ComputedVcov {
  readonly vcov: Float64Array;
  readonly kVcov: number;
  readonly tDf: number;
  readonly nClusters: Readonly<Record<string, number>>;
  /** Per-coefficient reference df (CR2 / CR3 Satterthwaite), when the estimator has them. */
  readonly dfCoef?: readonly number[];
}

function clusterCodesFor(state: FitState, name: string, data?: PanelFrame): Int32Array {
  const cached = state.clusterCodes.get(name);
  if (cached) return cached;
  const feIdx = state.feNames.indexOf(name);
  if (feIdx >= 0) return state.fe[feIdx]!;
  // The fit keeps no reference to its data (a result must never pin a frame: resampling loops
  // would hold every copy), so a new cluster variable is read from the frame the caller passes.
  if (!data) throw new Error(`withVcov: variable '${name}' was not used at fit time; pass the fit's data frame as withVcov(result, vcov, ssc, { data })`);
  const codes = sampleCodes(data, name, state.rows, state.n);
  state.clusterCodes.set(name, codes);
  return codes;
}

function numericFor(state: FitState, name: string, data?: PanelFrame): Float64Array {
  const cached = state.numericColumns.get(name);
  if (cached) return cached;
  if (!data) throw new Error(`withVcov: variable '${name}' was not used at fit time; pass the fit's data frame as withVcov(result, vcov, ssc, { data })`);
  const values = sampleNumeric(data, name, state.rows, state.n);
  state.numericColumns.set(name, values);
  return values;
}


/** The vcov of a fit for a validated spec and ssc, with fixest's K and t-df rules. */
export function computeVcov(state: FitState, spec: NormalizedVcov, ssc: Ssc, data?: PanelFrame): ComputedVcov {
  const entry = vcovEntry(spec.type);
  const clusters = spec.cluster.map((c) => clusterCodesFor(state, c, data));
  const raw = entry.kernel({
    bread: state.bread,
    get scores() {
      return stateScores(state);
    },
    ssr: state.ssr,
    n: state.n,
    clusters,
    ssc,
    spec,
    codes: (name) => clusterCodesFor(state, name, data),
    numeric: (name) => numericFor(state, name, data),
    design: { x: state.xDm, resid: state.resid, weights: state.weights, fe: state.fe, feSizes: state.feSizes },
  });
  const { n, k, feSizes } = state;
  const Q = feSizes.length;
  const feDof = Q > 0 ? feSizes.reduce((a, b) => a + b, 0) - (Q - 1) : 0;
  const nparams = k + feDof;
  let K = nparams;
  if (ssc.kFixef === 'none') K = k;
  else if (ssc.kFixef === 'nonnested' && entry.removesNested && Q > 0 && clusters.length > 0) {
    const nested = state.fe.map((fe, q) => {
      const parts = state.feNames[q]!.split('^');
      if (parts.some((p) => spec.cluster.includes(p))) return true;
      return clusters.some((cl) => nestedIn(fe, feSizes[q]!, cl));
    });
    if (nested.every(Boolean)) K = nparams - feDof + 1; // all FE removed: keep one for the intercept
    else K = nparams - nested.reduce((acc, isN, q) => acc + (isN ? feSizes[q]! - 1 : 0), 0);
    K = Math.max(K, k + 1);
  }
  const adj = ssc.kAdj && !entry.ownSsc ? (n - 1) / (n - K) : 1;
  const vcov = Float64Array.from(raw.vcov, (x) => x * adj);
  let tDf: number;
  if (entry.ownSsc && raw.tDf !== undefined) tDf = raw.tDf;
  else if (typeof ssc.tDf === 'number') tDf = ssc.tDf;
  else if (ssc.tDf === 'min' && raw.gMin !== undefined) tDf = Math.max(raw.gMin - 1, 1);
  else tDf = Math.max(n - K, 1);
  const nClusters: Record<string, number> = {};
  spec.cluster.forEach((c, j) => {
    nClusters[c] = raw.nClusters?.[j] ?? 0;
  });
  return { vcov, kVcov: entry.ownSsc ? k : K, tDf, nClusters: Object.freeze(nClusters), ...(raw.dfCoef ? { dfCoef: Object.freeze([...raw.dfCoef]) } : {}) };
}
