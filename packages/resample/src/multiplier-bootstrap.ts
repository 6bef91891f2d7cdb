import { assertMat, mat, type ComputeContext, type Fallback, type Mat, type MultiplierWeights } from '@panel-lab/compute';
import { quantileType1Sorted } from './stats.js';
import { RESAMPLE_VERSION } from './version.js';

export interface MultiplierBootstrapOptions {
  /** Cluster code per row of the influence matrix (0..G-1); default each row its own cluster. */
  readonly clusters?: Int32Array;
  /** Default 1000 (did's biters). */
  readonly draws?: number;
  readonly seed: number;
  /** Default 'rademacher' (did / BMisc). */
  readonly weights?: MultiplierWeights;
  /** For the uniform band's critical value. Default 0.05. */
  readonly alpha?: number;
  /** Keep the draws x K matrix in the result (default true; false keeps only the summary). */
  readonly keepDraws?: boolean;
  /** Draws per weight chunk (chunk k from rng stream k). */
  readonly chunkSize?: number;
  /** The backend that runs the MultiplierBootstrap kernel (cpu float64 or an f32 backend). */
  readonly compute: ComputeContext;
}

export interface MultiplierBootstrapResult {
  readonly kind: 'multiplier_bootstrap';
  readonly draws: number;
  readonly k: number;
  readonly n: number;
  readonly clusters: number;
  /** theta*_b = (1/n) sum_c V_bc S_c, draws x K column-major; null when keepDraws is false. */
  readonly thetaStar: Mat | null;
  /** Bootstrap SE per column: IQR(theta*) / (z_.75 - z_.25), type-1 quantiles (did's mboot). */
  readonly se: readonly (number | null)[];
  /** SD of theta* per column (for comparison with the analytic SE). */
  readonly sd: readonly (number | null)[];
  /** Analytic SE per column: sqrt(sum_c S_c^2) / n. */
  readonly seAnalytic: readonly number[];
  /**
   * (1 - alpha) type-1 quantile over draws of max_k |theta*_bk| / se_k: the uniform band's critical
   * value, raw (did falls back to the pointwise z when it is below z or not finite; callers decide).
   */
  readonly critVal: number | null;
  readonly alpha: number;
  readonly meta: Readonly<{ backend: string; device: string; precision: 32 | 64; fallbacks: readonly Fallback[]; seed: number; weights: MultiplierWeights; versions: Readonly<Record<string, string>> }>;
  /** JSON form: thetaStar's typed data as a plain number array. */
  toJSON(): Record<string, unknown>;
}

const IQR_Z = 1.3489795003921634; // qnorm(0.75) - qnorm(0.25)

/**
 * Multiplier bootstrap over an influence-function matrix (n x K, rows = units): the
 * MultiplierBootstrap kernel on the context's backend, then did-style SEs and the sup-t critical
 * value of a uniform band. Draws are chunked and seeded by the compute layer (same seed, same
 * backend, same draws).
 */
export async function multiplierBootstrap(influence: Mat, options: MultiplierBootstrapOptions): Promise<MultiplierBootstrapResult> {
  assertMat(influence, 'multiplierBootstrap influence');
  const draws = options.draws ?? 1000;
  const weights = options.weights ?? 'rademacher';
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`option alpha must be in (0, 1), got ${alpha}`);
  if (!options.compute) throw new Error('option compute (a ComputeContext) is required: it picks the backend of the MultiplierBootstrap kernel');
  const { rows: n, cols: K } = influence;
  let G = n;
  if (options.clusters) {
    if (options.clusters.length !== n) throw new Error(`option clusters: has ${options.clusters.length} codes, the influence matrix has ${n} rows`);
    G = 0;
    for (const c of options.clusters) G = Math.max(G, c + 1);
  }
  const out = await options.compute.run(
    'MultiplierBootstrap',
    { inf: influence, ...(options.clusters ? { clusterCodes: options.clusters, nClusters: G } : {}) },
    { draws, seed: options.seed, weights, ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}) },
  );
  const se: (number | null)[] = [];
  const sdv: (number | null)[] = [];
  const seAnalytic: number[] = [];
  for (let k = 0; k < K; k++) {
    const col = out.data.subarray(k * draws, (k + 1) * draws);
    const sorted = Float64Array.from(col).sort();
    const s = (quantileType1Sorted(sorted, 0.75) - quantileType1Sorted(sorted, 0.25)) / IQR_Z;
    se.push(s > 0 ? s : null);
    let m = 0;
    for (const v of col) m += v;
    m /= draws;
    let ss = 0;
    for (const v of col) ss += (v - m) ** 2;
    sdv.push(draws > 1 ? Math.sqrt(ss / (draws - 1)) : null);
    // analytic: cluster sums of column k
    const sums = new Float64Array(G);
    for (let i = 0; i < n; i++) sums[options.clusters ? options.clusters[i]! : i]! += influence.data[k * n + i]!;
    let s2 = 0;
    for (const v of sums) s2 += v * v;
    seAnalytic.push(Math.sqrt(s2) / n);
  }
  const maxT = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    let mx = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) if (se[k] !== null) mx = Math.max(mx, Math.abs(out.data[k * draws + b]!) / se[k]!);
    maxT[b] = mx;
  }
  const finite = maxT.filter(Number.isFinite).sort();
  const crit = finite.length ? quantileType1Sorted(finite, 1 - alpha) : Number.NaN;
  const meta = options.compute.meta;
  const result: MultiplierBootstrapResult = Object.freeze({
    kind: 'multiplier_bootstrap',
    draws,
    k: K,
    n,
    clusters: G,
    thetaStar: options.keepDraws === false ? null : mat(draws, K, out.data as Float64Array),
    se: Object.freeze(se),
    sd: Object.freeze(sdv),
    seAnalytic: Object.freeze(seAnalytic),
    critVal: Number.isFinite(crit) ? crit : null,
    alpha,
    meta: Object.freeze({
      backend: meta.backend,
      device: meta.device,
      precision: meta.precision,
      fallbacks: meta.fallbacks,
      seed: options.seed,
      weights,
      versions: Object.freeze({ '@panel-lab/resample': RESAMPLE_VERSION }),
    }),
    toJSON(): Record<string, unknown> {
      const { toJSON: _drop, thetaStar, ...rest } = result;
      return { ...rest, thetaStar: thetaStar ? { rows: thetaStar.rows, cols: thetaStar.cols, data: Array.from(thetaStar.data) } : null };
    },
  });
  return result;
}
