import { mat, type ComputeContext, type MultiplierWeights } from '@panel-lab/compute';
import { qnorm, quantileType1 } from '../internal/stats.js';
import type { AggteResult } from './aggte.js';
import type { GroupTimeResult } from './att-gt.js';
import { hidden, payloadOf, type BootstrapInfo } from './influence.js';

export interface MultiplierBootstrapOptions {
  readonly seed: number;
  /** Default 1000 (did's biters). */
  readonly draws?: number;
  /** Default 'rademacher' (did's multiplier weights; the golden's R draws match them, not Mammen, statistically); 'mammen' and 'webb' also allowed. */
  readonly weights?: MultiplierWeights;
  /** Uniform (simultaneous) bands. Default true. */
  readonly cband?: boolean;
}


const IQR_Z = qnorm(0.75) - qnorm(0.25);

/**
 * did's multiplier bootstrap (mboot) through the compute backend's MultiplierBootstrap kernel:
 * theta*_b = (1/n) sum_c V_bc S_c. Returns a new result (the input is never changed) whose SEs
 * are the bootstrap IQR SEs and whose critical value gives uniform bands. For an aggte result the
 * band covers the per-group/event/time effects and the overall SE is bootstrapped too.
 */
export async function withMultiplierBootstrap<R extends GroupTimeResult | AggteResult>(
  result: R,
  ctx: ComputeContext,
  options: MultiplierBootstrapOptions,
): Promise<R> {
  const draws = options.draws ?? 1000;
  const weights = options.weights ?? 'rademacher';
  const cband = options.cband ?? true;
  if (!Number.isInteger(options.seed)) throw new Error(`withMultiplierBootstrap: option seed must be an integer, got ${options.seed}`);
  if (!Number.isInteger(draws) || draws < 10) throw new Error(`withMultiplierBootstrap: option draws must be an integer >= 10, got ${draws}`);
  const payload = payloadOf(result, 'withMultiplierBootstrap');
  const n = result.n;
  const K = payload.infCols;
  // non-finite influence values: zeroed for the kernel (on a copy; none: the matrix as it is), their
  // columns reported as degenerate (NaN SE). Plain loops: Float64Array.from with a map function boxes
  // every value (seconds of GC at 100k x 81).
  const degenerate: boolean[] = [];
  for (let k = 0; k < K; k++) {
    let bad = false;
    for (let i = k * n, end = (k + 1) * n; i < end && !bad; i++) bad = !Number.isFinite(payload.inf[i]!);
    degenerate.push(bad);
  }
  let clean = payload.inf;
  if (degenerate.some(Boolean)) {
    clean = new Float64Array(payload.inf.length);
    for (let i = 0; i < clean.length; i++) {
      const v = payload.inf[i]!;
      clean[i] = Number.isFinite(v) ? v : 0;
    }
  }
  let nClusters = n;
  if (payload.clusterCodes) {
    nClusters = 0;
    for (const c of payload.clusterCodes) nClusters = Math.max(nClusters, c + 1);
  }
  const out = await ctx.run(
    'MultiplierBootstrap',
    { inf: mat(n, K, clean), ...(payload.clusterCodes ? { clusterCodes: payload.clusterCodes, nClusters } : {}) },
    { draws, seed: options.seed, weights },
  );
  // out: draws x K column-major
  const se: number[] = [];
  for (let k = 0; k < K; k++) {
    const colk = out.data.subarray(k * draws, (k + 1) * draws);
    const s = (quantileType1(colk, 0.75) - quantileType1(colk, 0.25)) / IQR_Z;
    se.push(degenerate[k] || !(s > Math.sqrt(Number.EPSILON) * 10) ? Number.NaN : s);
  }
  const alpha = result.kind === 'att_gt' ? result.spec.alpha : result.spec.alpha;
  const bandCols = result.kind === 'att_gt' ? K : K - 1;
  const maxT = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < bandCols; k++) {
      if (!Number.isFinite(se[k]!)) continue;
      m = Math.max(m, Math.abs(out.data[k * draws + b]!) / se[k]!);
    }
    maxT[b] = m;
  }
  const finite = maxT.filter((v) => Number.isFinite(v));
  const z = qnorm(1 - alpha / 2);
  const warnings: string[] = [];
  let crit = quantileType1(finite, 1 - alpha);
  const sorted = Float64Array.from(finite).sort();
  const half = 2.576 * Math.sqrt(sorted.length * alpha * (1 - alpha));
  const at = (j: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(j)))] ?? Number.NaN;
  const interval: [number, number] = [at(sorted.length * (1 - alpha) - half - 1), at(sorted.length * (1 - alpha) + half - 1)];
  if (!cband || bandCols === 0) crit = z;
  else if (!Number.isFinite(crit) || crit < z) {
    warnings.push(`uniform critical value ${crit} is not finite or below the pointwise ${z.toFixed(4)}; pointwise critical value used`);
    crit = z;
  } else if (crit >= 7) {
    warnings.push(`uniform critical value ${crit.toFixed(2)} is very large: the band is likely unreliable (degenerate or few units)`);
  }
  const info: BootstrapInfo = Object.freeze({
    draws,
    seed: options.seed,
    weights,
    clusters: nClusters,
    backend: ctx.meta.backend,
    critValMcInterval: Object.freeze(interval) as readonly [number, number],
    cband,
  });
  let next: GroupTimeResult | AggteResult;
  if (result.kind === 'att_gt') {
    next = { ...result, se: Object.freeze(se), critVal: crit, bootstrap: info, warnings: Object.freeze([...result.warnings, ...warnings]) };
  } else {
    next = {
      ...result,
      seEgt: Object.freeze(se.slice(0, K - 1)),
      overallSe: se[K - 1]!,
      critValEgt: crit,
      bootstrap: info,
      warnings: Object.freeze([...result.warnings, ...warnings]),
    };
  }
  hidden(next, payload);
  return Object.freeze(next) as R;
}
