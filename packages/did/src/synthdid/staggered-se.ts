/**
 * Standard error of the staggered aggregate sum_g w_g tau_g (w_g = N1_g T1_g / sum N1 T1). The
 * cohorts share their controls, so their estimates are dependent; each draw below resamples the
 * units of the whole panel once and re-estimates every cohort on that same draw, and the draw's
 * aggregate is the estimator applied to it. With one cohort every method reduces to the block
 * method draw for draw (same seed, same R draws).
 *
 * Units are indexed as the union of the blocks: the shared controls (rows 0..N0-1 of every
 * block), then each cohort's treated units in cohort order.
 *  - placebo: one permutation of the controls per draw; the first N0 - sum N1_g stay controls, the
 *    next N1_g become cohort g's placebo-treated (disjoint, as the real cohorts are), weights fixed.
 *    Needs more controls than treated units over all cohorts.
 *  - bootstrap: N units drawn with replacement; each cohort is estimated on the drawn controls
 *    and its drawn treated units; the weights use the drawn counts N1_g*; a cohort with no drawn
 *    treated unit is absent from that draw's aggregate; a draw without controls or without any
 *    treated unit is redrawn (as the block bootstrap).
 *  - jackknife: leave one unit out; a control leaves every cohort, a treated unit its cohort
 *    (N1_g - 1 in the weights; a cohort left empty drops out). Fixed weights, as the block
 *    jackknife; with covariates beta is re-fitted.
 * All draws are generated first; each cohort's draws are then solved together in batches.
 */
import { RRandom, samplePermutation, sampleWithReplacement } from './r-sample.js';
import type { SynthdidEstimate, SynthdidSe, SynthdidSeOptions } from './types.js';
import { fixedWeights, pick, sd, solveDraws } from './vcov.js';
import { weightedDid, type WeightSetup } from './weights.js';

/** What the aggregate SE needs of one cohort: its fit (on its block) and its units in row order. */
export interface AggregateCohort {
  fit: SynthdidEstimate;
  units: readonly string[];
}

function fail(message: string): never {
  throw new Error(`synthdid staggered se: ${message}`);
}

/** One cohort's part of a draw: its block rows (controls first) and how many are controls. */
interface Part {
  rows: Int32Array;
  n0: number;
}

function setupOf(fit: SynthdidEstimate, part: Part): WeightSetup {
  return { rows: part.rows, n0: part.n0, omega: pick(fit.omega, part.rows, part.n0), lambda: fit.lambda };
}

/** draws[d][g]: cohort g's part of draw d (null: absent from the draw). */
type Draws = (Part | null)[][];

function placeboDraws(cohorts: readonly AggregateCohort[], n0: number, replications: number, rng: RRandom): Draws {
  const n1 = cohorts.map((c) => c.fit.n1);
  const kept = n0 - n1.reduce((a, b) => a + b, 0);
  const draws: Draws = [];
  for (let r = 0; r < replications; r++) {
    const perm = samplePermutation(rng, n0);
    let at = kept;
    draws.push(
      n1.map((m) => {
        const rows = new Int32Array(kept + m);
        rows.set(perm.subarray(0, kept));
        rows.set(perm.subarray(at, at + m), kept);
        at += m;
        return { rows, n0: kept };
      }),
    );
  }
  return draws;
}

function bootstrapDraws(cohorts: readonly AggregateCohort[], n0: number, replications: number, rng: RRandom): Draws {
  const n1 = cohorts.map((c) => c.fit.n1);
  const start = n1.map((_, g) => n0 + n1.slice(0, g).reduce((a, b) => a + b, 0));
  const n = n0 + n1.reduce((a, b) => a + b, 0);
  const draws: Draws = [];
  while (draws.length < replications) {
    const ind = sampleWithReplacement(rng, n).sort();
    let c = 0;
    while (c < n && ind[c]! < n0) c++;
    if (c === 0 || c === n) continue; // no controls or no treated unit: redraw, as the block bootstrap
    draws.push(
      n1.map((m, g) => {
        const own = ind.filter((u) => u >= start[g]! && u < start[g]! + m);
        if (own.length === 0) return null;
        const rows = new Int32Array(c + own.length);
        rows.set(ind.subarray(0, c));
        own.forEach((u, k) => (rows[c + k] = n0 + u - start[g]!));
        return { rows, n0: c };
      }),
    );
  }
  return draws;
}

function jackknifeDraws(cohorts: readonly AggregateCohort[], n0: number): Draws {
  const full = cohorts.map((c) => ({ rows: Int32Array.from({ length: n0 + c.fit.n1 }, (_, i) => i), n0 }));
  const without = (part: Part, row: number, controls: number): Part | null => {
    const rows = part.rows.filter((r) => r !== row);
    return rows.length === controls ? null : { rows, n0: controls };
  };
  const draws: Draws = [];
  for (let u = 0; u < n0; u++) draws.push(full.map((p) => without(p, u, n0 - 1)));
  cohorts.forEach((c, g) => {
    for (let k = 0; k < c.fit.n1; k++) draws.push(full.map((p, h) => (h === g ? without(p, n0 + k, n0) : p)));
  });
  return draws;
}

/** SE of the treated-cell-weighted aggregate over cohorts, on draws shared by all cohorts. */
export function staggeredAggregateSe(cohorts: readonly AggregateCohort[], options: SynthdidSeOptions): SynthdidSe {
  const { method } = options;
  if (cohorts.length === 0) fail('no cohorts');
  const n0 = cohorts[0]!.fit.n0;
  const controls = cohorts[0]!.units.slice(0, n0).join('\u0000');
  for (const c of cohorts) {
    if (c.fit.n0 !== n0 || c.units.slice(0, n0).join('\u0000') !== controls) fail('the cohorts do not share the same control units');
  }
  const n1 = cohorts.map((c) => c.fit.n1);
  const t1 = cohorts.map((c) => c.fit.t1);
  const totalTreated = n1.reduce((a, b) => a + b, 0);
  const replications = options.replications ?? 200;
  const seed = options.seed ?? null;
  const none = (reason: string): SynthdidSe => ({ method, se: Number.NaN, replicates: new Float64Array(0), replications: 0, seed, reason });
  let draws: Draws;
  if (method === 'jackknife') {
    if (cohorts.length === 1 && n1[0] === 1) return none('one treated unit');
    const single = cohorts.findIndex((c) => c.fit.omega.filter((w) => w !== 0).length === 1);
    if (single >= 0) return none(`cohort ${single + 1} has one control with nonzero weight`);
    draws = jackknifeDraws(cohorts, n0);
  } else {
    if (method !== 'placebo' && method !== 'bootstrap') fail(`unknown method '${String(method)}' (placebo, bootstrap, jackknife)`);
    if (seed === null || !Number.isInteger(seed)) fail(`method '${method}' needs an integer 'seed'`);
    if (!Number.isInteger(replications) || replications < 2) fail(`'replications' must be an integer >= 2, got ${replications}`);
    if (method === 'bootstrap' && totalTreated === 1) return none('bootstrap needs more than one treated unit');
    if (method === 'placebo' && n0 <= totalTreated) return none(`placebo needs more controls (${n0}) than treated units over all cohorts (${totalTreated})`);
    const rng = new RRandom(seed);
    draws = method === 'placebo' ? placeboDraws(cohorts, n0, replications, rng) : bootstrapDraws(cohorts, n0, replications, rng);
  }
  // Per cohort: every draw's setup solved together (batched), then the aggregates.
  const tau = cohorts.map((c, g) => {
    const present = draws.map((d) => d[g]).filter((p): p is Part => p !== null);
    const setups = present.map((p) => setupOf(c.fit, p));
    const batchSize = options.batchSize ?? Math.max(1, Math.min(256, Math.floor(2 ** 25 / (2 * c.fit.n0 * c.fit.t0 + c.fit.n0 + c.fit.t0))));
    const tuning = method === 'jackknife' ? fixedWeights(c.fit.options) : c.fit.options;
    const values = method === 'jackknife' && !c.fit.covariates ? fixedDid(c.fit, setups) : solveDraws(c.fit, setups, batchSize, tuning);
    const out = new Float64Array(draws.length).fill(Number.NaN);
    let k = 0;
    draws.forEach((d, r) => {
      if (d[g]) out[r] = values[k++]!;
    });
    return out;
  });
  // Weights normalised first, as for the estimate itself (one cohort: weight exactly 1).
  const reps = Float64Array.from(draws, (d, r) => {
    let cells = 0;
    d.forEach((p, g) => {
      if (p) cells += (p.rows.length - p.n0) * t1[g]!;
    });
    let sum = 0;
    d.forEach((p, g) => {
      if (p) sum += (((p.rows.length - p.n0) * t1[g]!) / cells) * tau[g]![r]!;
    });
    return sum;
  });
  const bad = reps.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`${method} draw ${bad + 1} gave a non-finite aggregate (${reps[bad]})`);
  const n = reps.length;
  const se = method === 'jackknife' ? Math.sqrt(((n - 1) / n) * (n - 1)) * sd(reps) : Math.sqrt((n - 1) / n) * sd(reps);
  return { method, se, replicates: reps, replications: n, seed: method === 'jackknife' ? null : seed };
}

/** Fixed-weights double differences without covariates (no solve needed). */
function fixedDid(fit: SynthdidEstimate, setups: readonly WeightSetup[]): Float64Array {
  return Float64Array.from(setups, (s) => weightedDid(fit.y, fit.t0, s.rows, s.n0, s.omega!, s.lambda!));
}
