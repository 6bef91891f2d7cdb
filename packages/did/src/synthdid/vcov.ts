/**
 * Standard errors of a synthdid / sc / did estimate (R synthdid's vcov methods):
 * placebo (Algorithm 4), bootstrap (Algorithm 2) and the fixed-weights jackknife (Algorithm 3).
 * Placebo and bootstrap re-solve the weights on every draw; the draws are generated first from
 * R's generator (so a seed gives R's draws) and then solved batchSize at a time in one batched
 * Frank-Wolfe run. Cost: replications x (Frank-Wolfe iterations) x N0 x T0.
 */
import { solveWeightsCovariates } from './covariates.js';
import { RRandom, samplePermutation, sampleWithReplacement } from './r-sample.js';
import { solveWeights, weightedDid, type WeightSetup } from './weights.js';
import type { SynthdidEstimate, SynthdidSe, SynthdidSeOptions, SynthdidTuning } from './types.js';

function fail(message: string): never {
  throw new Error(`synthdid se: ${message}`);
}

/** x / sum(x), or uniform weights when they sum to zero (as R's sum_normalize). */
export function sumNormalize(x: Float64Array): Float64Array {
  let s = 0;
  for (const v of x) s += v;
  if (s !== 0) return x.map((v) => v / s);
  return new Float64Array(x.length).fill(1 / x.length);
}

/** Sample standard deviation (n - 1), as R's sd. */
export function sd(x: ArrayLike<number>): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - m) * (x[i]! - m);
  return Math.sqrt(ss / (n - 1));
}

/** The fitted control weights of a draw's controls (rows 0..n0-1 of the draw), renormalised. */
export function pick(omega: Float64Array, rows: Int32Array, n0: number): Float64Array {
  return sumNormalize(Float64Array.from(rows.subarray(0, n0), (r) => omega[r]!));
}

/**
 * Solves the draws in batches and returns their estimates. With covariates, beta is re-fitted
 * from 0 on every draw (as the package does) and the estimate is tau(Y) - sum_k beta_k tau(X_k).
 */
export function solveDraws(est: SynthdidEstimate, setups: readonly WeightSetup[], batchSize: number, tuning: SynthdidTuning = est.options): Float64Array {
  const out = new Float64Array(setups.length);
  const x = est.covariates?.x ?? [];
  for (let start = 0; start < setups.length; start += batchSize) {
    const batch = setups.slice(start, start + batchSize);
    if (x.length === 0) {
      const solved = solveWeights(est.y, est.t0, batch, tuning);
      batch.forEach((s, k) => {
        out[start + k] = weightedDid(est.y, est.t0, s.rows, s.n0, solved[k]!.omega, solved[k]!.lambda);
      });
      continue;
    }
    const solved = solveWeightsCovariates(est.y, x, est.t0, batch, tuning);
    batch.forEach((s, k) => {
      const w = solved[k]!;
      let tau = weightedDid(est.y, est.t0, s.rows, s.n0, w.omega, w.lambda);
      x.forEach((m, c) => {
        tau -= w.beta[c]! * weightedDid(m, est.t0, s.rows, s.n0, w.omega, w.lambda);
      });
      out[start + k] = tau;
    });
  }
  return out;
}

/** The fixed-weights tuning of the jackknife: weights as given; with covariates beta is still re-fitted. */
export function fixedWeights(tuning: SynthdidTuning): SynthdidTuning {
  return { ...tuning, updateOmega: false, updateLambda: false };
}

function placeboDraws(est: SynthdidEstimate, replications: number, rng: RRandom): WeightSetup[] {
  const n0 = est.n0 - est.n1;
  const setups: WeightSetup[] = [];
  for (let r = 0; r < replications; r++) {
    const rows = samplePermutation(rng, est.n0);
    setups.push({ rows, n0, omega: pick(est.omega, rows, n0), lambda: est.lambda });
  }
  return setups;
}

function bootstrapDraws(est: SynthdidEstimate, replications: number, rng: RRandom): WeightSetup[] {
  const n = est.n0 + est.n1;
  const setups: WeightSetup[] = [];
  while (setups.length < replications) {
    const rows = sampleWithReplacement(rng, n).sort();
    let n0 = 0;
    while (n0 < n && rows[n0]! < est.n0) n0++;
    if (n0 === 0 || n0 === n) continue; // all treated or all controls: redraw, as R does
    setups.push({ rows, n0, omega: pick(est.omega, rows, n0), lambda: est.lambda });
  }
  return setups;
}

/** Leave-one-unit-out setups with the fit's weights (omega renormalised), in unit order. */
export function jackknifeSetups(est: SynthdidEstimate): WeightSetup[] {
  const n = est.n0 + est.n1;
  return Array.from({ length: n }, (_, i) => {
    const rows = Int32Array.from({ length: n - 1 }, (_, k) => (k < i ? k : k + 1));
    const n0 = i < est.n0 ? est.n0 - 1 : est.n0;
    return { rows, n0, omega: pick(est.omega, rows, n0), lambda: est.lambda };
  });
}

function jackknife(est: SynthdidEstimate, batchSize: number): Float64Array {
  const setups = jackknifeSetups(est);
  // Without covariates the weights stay fixed, so each replicate is one weighted double difference.
  if (!est.covariates) return Float64Array.from(setups, (s) => weightedDid(est.y, est.t0, s.rows, s.n0, s.omega!, s.lambda!));
  return solveDraws(est, setups, batchSize, fixedWeights(est.options));
}

export function synthdidSe(est: SynthdidEstimate, options: SynthdidSeOptions): SynthdidSe {
  const { method } = options;
  const replications = options.replications ?? 200;
  // Default: 256 draws per batch, fewer when their problems would pass 2^25 doubles (256 MiB).
  const batchSize = options.batchSize ?? Math.max(1, Math.min(256, Math.floor(2 ** 25 / (2 * est.n0 * est.t0 + est.n0 + est.t0))));
  if (method === 'jackknife') {
    let nonzero = 0;
    for (const w of est.omega) if (w !== 0) nonzero++;
    const reason = est.n1 === 1 ? 'one treated unit' : nonzero === 1 ? 'one control with nonzero weight' : undefined;
    if (reason) return { method, se: Number.NaN, replicates: new Float64Array(0), replications: 0, seed: null, reason };
    const u = jackknife(est, batchSize);
    const bad = u.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`jackknife replicate ${bad + 1} is not finite (${u[bad]})`);
    const n = u.length;
    return { method, se: Math.sqrt(((n - 1) / n) * (n - 1)) * sd(u), replicates: u, replications: n, seed: null };
  }
  if (method !== 'placebo' && method !== 'bootstrap') fail(`unknown method '${String(method)}' (placebo, bootstrap, jackknife)`);
  if (options.seed === undefined || !Number.isInteger(options.seed)) fail(`method '${method}' needs an integer 'seed'`);
  if (!Number.isInteger(replications) || replications < 2) fail(`'replications' must be an integer >= 2, got ${replications}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(`'batchSize' must be a positive integer, got ${batchSize}`);
  if (method === 'bootstrap' && est.n1 === 1) {
    return { method, se: Number.NaN, replicates: new Float64Array(0), replications: 0, seed: options.seed, reason: 'bootstrap needs more than one treated unit' };
  }
  if (method === 'placebo' && est.n0 <= est.n1) {
    // R stops here; an SE marked undefined lets the other cohorts of a staggered run go on.
    return { method, se: Number.NaN, replicates: new Float64Array(0), replications: 0, seed: options.seed, reason: `placebo needs more controls (${est.n0}) than treated units (${est.n1})` };
  }
  const rng = new RRandom(options.seed);
  const setups = method === 'placebo' ? placeboDraws(est, replications, rng) : bootstrapDraws(est, replications, rng);
  const reps = solveDraws(est, setups, batchSize);
  const bad = reps.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`${method} draw ${bad + 1} gave a non-finite estimate (${reps[bad]})`);
  return { method, se: Math.sqrt((replications - 1) / replications) * sd(reps), replicates: reps, replications, seed: options.seed };
}
