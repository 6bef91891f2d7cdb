import { DEFAULT_CHUNK_SIZE } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { criticalValue } from '@panel-lab/regression';
import { RESAMPLE_VERSION } from './version.js';
import type { WildKernelChoice } from './wild-gemm.js';
import { prepareWild, type WildPrepared, type WildSpec } from './wild-prepare.js';
import { drawStats, type DrawStats, type WildAlgorithmChoice } from './wild-stats.js';

export interface WildBootstrapOptions {
  /** 'rademacher' (default) or 'webb' (six-point; better with very few clusters). */
  readonly weights?: 'rademacher' | 'webb';
  /** Default 9999. With Rademacher weights and 2^G <= draws, all 2^G sign vectors are enumerated instead. */
  readonly draws?: number;
  readonly seed: number;
  /** For the confidence interval by test inversion. Default 0.05. */
  readonly alpha?: number;
  /** The null hypothesis beta = beta0 of the p-value (default 0). */
  readonly beta0?: number;
  /** Weights are drawn and reduced chunk by chunk (chunk k from stream k). Default 1000. */
  readonly chunkSize?: number;
  /** Kernel of the per-draw products: 'auto' (default: WebAssembly SIMD where available), 'wasm-simd' or 'js'. Results are identical. */
  readonly kernel?: WildKernelChoice;
  /**
   * 'auto' (default): the cross-cluster matrices as diagonal plus low rank where the FE not nested
   * in the clusters and the controls are few next to the clusters (O(r G) per draw), else dense
   * (O(G^2)); 'dense' or 'low-rank' to choose. The two agree to rounding (about 1e-10 relative).
   */
  readonly algorithm?: WildAlgorithmChoice;
}

export interface WildBootstrapResult {
  readonly kind: 'wild_bootstrap';
  readonly spec: Readonly<{
    coefficient: string;
    cluster: string | null;
    weights: 'rademacher' | 'webb';
    draws: number;
    seed: number;
    alpha: number;
    beta0: number;
    chunkSize: number;
    bootstrapType: 'WCR';
  }>;
  readonly estimate: number;
  /** Analytic CR1 SE and its t statistic against beta0 (t(G-1) reference). */
  readonly se: number;
  readonly statistic: number;
  readonly df: number;
  /** Symmetric bootstrap p-value: share of |t*_b| >= |t|. */
  readonly pValue: number;
  /** Set of beta0 not rejected at alpha (test inversion); a bound is null when it lies beyond 1024 SEs (open interval). */
  readonly confInt: readonly [number | null, number | null];
  /** Analytic CR1 interval with t(G-1) critical values, for comparison. */
  readonly confIntAnalytic: readonly [number, number];
  /** The t*_b under beta0, in draw order (null where a draw's score is exactly zero). */
  readonly tStar: readonly (number | null)[];
  /** SD of beta*_b under beta0 (the restricted bootstrap's SE). */
  readonly seBootstrap: number;
  readonly nClusters: number;
  readonly nobs: number;
  readonly enumerated: boolean;
  readonly meta: Readonly<{
    backend: 'cpu';
    precision: 64;
    kernel: 'wasm-simd' | 'js';
    algorithm: 'dense' | 'low-rank';
    droppedMissing: number;
    collinearControls: readonly string[];
    versions: Readonly<Record<string, string>>;
    timings: Readonly<Record<string, number>>;
  }>;
}

/** All 2^G Rademacher sign vectors. */
function enumerateSigns(G: number): Float64Array[] {
  return Array.from({ length: 2 ** G }, (_, b) => Float64Array.from({ length: G }, (_, c) => ((b >> c) & 1 ? -1 : 1)));
}

function tStarAt(st: DrawStats, b: number, b0: number, adj: number): number {
  const num = st.P[b]! - b0 * st.Q[b]!;
  const v = adj * (st.Saa[b]! + 2 * b0 * st.Sag[b]! + b0 * b0 * st.Sgg[b]!);
  return v > 0 ? num / Math.sqrt(v) : num === 0 ? 0 : Math.sign(num) * Number.POSITIVE_INFINITY;
}

function pValueAt(w: WildPrepared, st: DrawStats, b0: number): number {
  const t = Math.abs((w.beta - b0) / w.se);
  let hits = 0;
  const B = st.P.length;
  // a relative tie margin so the draw equal to the observed t (all-ones weights at b0 = beta) counts
  const tie = t * 1e-12;
  for (let b = 0; b < B; b++) if (Math.abs(tStarAt(st, b, b0, w.vcovAdj)) >= t - tie) hits++;
  return hits / B;
}

/** Bisection for the b0 where the p-value falls below alpha, between inside (p >= alpha) and outside. */
function invert(w: WildPrepared, st: DrawStats, alpha: number, dir: 1 | -1): number | null {
  let inside = w.beta;
  let outside = Number.NaN;
  for (let k = 1; k <= 1024; k *= 2) {
    const cand = w.beta + dir * k * w.se;
    if (pValueAt(w, st, cand) < alpha) {
      outside = cand;
      break;
    }
    inside = cand;
  }
  if (Number.isNaN(outside)) return null;
  for (let it = 0; it < 60 && Math.abs(outside - inside) > 1e-9 * w.se; it++) {
    const mid = (inside + outside) / 2;
    if (pValueAt(w, st, mid) >= alpha) inside = mid;
    else outside = mid;
  }
  return (inside + outside) / 2;
}

/**
 * Wild cluster restricted (WCR) bootstrap-t for one coefficient (Cameron, Gelbach & Miller 2008;
 * the boottest / fwildclusterboot algorithm): p-value of beta = beta0 and a confidence set by
 * inverting the test over beta0, with the same weights throughout. Float64 on the CPU: the work
 * is O(draws x clusters x r) where the FE crossing the clusters and the controls are few (r of
 * them), else O(draws x clusters^2), as matrix products per block of draws (wild-stats.ts).
 */
export async function wildClusterBootstrap(input: PanelFrame | WildPrepared, options: WildBootstrapOptions & Partial<WildSpec>): Promise<WildBootstrapResult> {
  const t0 = performance.now();
  let w: WildPrepared;
  let clusterName: string | null = null;
  if ('xr' in input) w = input;
  else {
    const { outcome, coefficient, cluster } = options;
    if (!outcome || !coefficient || !cluster) throw new Error('wildClusterBootstrap on a frame needs options outcome, coefficient and cluster');
    w = prepareWild(input, { outcome, coefficient, cluster, ...(options.controls ? { controls: options.controls } : {}), ...(options.fixedEffects ? { fixedEffects: options.fixedEffects } : {}) });
    clusterName = cluster;
  }
  const t1 = performance.now();
  const kind = options.weights ?? 'rademacher';
  if (kind !== 'rademacher' && kind !== 'webb') throw new Error(`option weights must be rademacher or webb, got '${String(kind)}'`);
  const asked = options.draws ?? 9999;
  if (!Number.isInteger(asked) || asked < 9) throw new Error(`option draws must be an integer >= 9, got ${asked}`);
  if (!Number.isInteger(options.seed)) throw new Error(`option seed must be an integer, got ${options.seed}`);
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`option alpha must be in (0, 1), got ${alpha}`);
  const beta0 = options.beta0 ?? 0;
  if (!Number.isFinite(beta0)) throw new Error(`option beta0 must be a finite number, got ${beta0}`);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`option chunkSize must be a positive integer, got ${chunkSize}`);
  const G = w.nClusters;
  const enumerated = kind === 'rademacher' && G <= 20 && 2 ** G <= asked;
  const kernelChoice = options.kernel ?? 'auto';
  if (!['auto', 'wasm-simd', 'js'].includes(kernelChoice)) throw new Error(`option kernel must be auto, wasm-simd or js, got '${String(kernelChoice)}'`);
  const algorithmChoice = options.algorithm ?? 'auto';
  if (!['auto', 'dense', 'low-rank'].includes(algorithmChoice)) throw new Error(`option algorithm must be auto, dense or low-rank, got '${String(algorithmChoice)}'`);
  const { stats: st, kernel, algorithm } = await drawStats(w, enumerated ? enumerateSigns(G) : null, { seed: options.seed, draws: asked, kind, chunkSize, kernel: kernelChoice, algorithm: algorithmChoice });
  const B = st.P.length;
  const t2 = performance.now();
  const pValue = pValueAt(w, st, beta0);
  const lo = invert(w, st, alpha, -1);
  const hi = invert(w, st, alpha, 1);
  const tStar = Array.from({ length: B }, (_, b) => {
    const t = tStarAt(st, b, beta0, w.vcovAdj);
    return Number.isFinite(t) ? t : null;
  });
  let xx = 0;
  for (const x of w.xr) xx += x * x;
  let s1 = 0;
  let s2 = 0;
  for (let b = 0; b < B; b++) {
    const d = (st.P[b]! - beta0 * st.Q[b]!) / xx;
    s1 += d;
    s2 += d * d;
  }
  const seBootstrap = Math.sqrt(Math.max(0, (s2 - (s1 * s1) / B) / (B - 1)));
  const crit = criticalValue(alpha, w.tDf);
  return Object.freeze({
    kind: 'wild_bootstrap',
    spec: Object.freeze({ coefficient: w.coefficient, cluster: clusterName, weights: kind, draws: B, seed: options.seed, alpha, beta0, chunkSize, bootstrapType: 'WCR' }),
    estimate: w.beta,
    se: w.se,
    statistic: (w.beta - beta0) / w.se,
    df: w.tDf,
    pValue,
    confInt: Object.freeze([lo, hi]) as readonly [number | null, number | null],
    confIntAnalytic: Object.freeze([w.beta - crit * w.se, w.beta + crit * w.se]) as readonly [number, number],
    tStar: Object.freeze(tStar),
    seBootstrap,
    nClusters: G,
    nobs: w.n,
    enumerated,
    meta: Object.freeze({
      backend: 'cpu',
      precision: 64,
      kernel,
      algorithm,
      droppedMissing: w.droppedMissing,
      collinearControls: w.collinearControls,
      versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION, node: process.version }),
      timings: Object.freeze({ prepare_ms: t1 - t0, draws_ms: t2 - t1, inversion_ms: performance.now() - t2 }),
    }),
  });
}
