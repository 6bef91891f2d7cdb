/**
 * Unit-cluster bootstrap of OLS coefficients with unit and time fixed effects, batched: each draw
 * is a vector of unit multiplicities, its weighted Gram matrix is accumulated from per-unit Gram
 * matrices for a block of draws at a time (memory bounded by the block, not by the draws), and the
 * small normal equations are solved per draw. Same draws as resampling rows and refitting feols
 * with one fixed effect per drawn copy (tested), without building a data frame per draw.
 */
import { createRng } from '@panel-lab/compute';
import { choleskyPivoted, choleskySolveInPlace } from '@panel-lab/regression';
import { prepareUnitRegression, type PreparedUnitRegression, type UnitBootstrapRegression, type UnitFeDesign } from './unit-bootstrap-prepare.js';

export interface UnitBootstrapOptions {
  readonly design: UnitFeDesign;
  /** Regressions re-estimated on every draw (all see the same drawn units). */
  readonly regressions: readonly UnitBootstrapRegression[];
  /** For each regression, the rhs names whose coefficients are returned. */
  readonly keep: readonly (readonly string[])[];
  readonly draws: number;
  readonly seed: number;
  /** Draws accumulated together (bounds memory: block × (units + regressions × p²)). Default 64. */
  readonly block?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DrawFailures {
  /** Draws where at least one kept coefficient could not be estimated. */
  readonly count: number;
  /** The first few reasons, with their draw index. */
  readonly messages: readonly string[];
}

export interface UnitBootstrapResult {
  /** coefficients[r][k][b]: regression r, kept name k, draw b (NaN where the draw failed). */
  readonly coefficients: readonly (readonly Float64Array[])[];
  readonly failures: DrawFailures;
  readonly nobs: readonly number[];
}

const MAX_MESSAGES = 5;

/** Multiplicities of each unit for a block of draws, from one sequential stream (draw-major). */
function drawBlock(rng: ReturnType<typeof createRng>, counts: Int32Array, nDraws: number, nUnits: number): void {
  counts.fill(0, 0, nDraws * nUnits);
  for (let b = 0; b < nDraws; b++) {
    const row = b * nUnits;
    for (let k = 0; k < nUnits; k++) counts[row + rng.int(0, nUnits - 1)]! += 1;
  }
}

/** acc[b] = Σ_u counts[b, u] G_u, unit-outer so each G_u is read once per block. */
function accumulateGrams(prep: PreparedUnitRegression, counts: Int32Array, nDraws: number, nUnits: number, acc: Float64Array): void {
  const P = prep.packed;
  acc.fill(0, 0, nDraws * P);
  for (let u = 0; u < nUnits; u++) {
    const g = prep.grams.subarray(u * P, (u + 1) * P);
    for (let b = 0; b < nDraws; b++) {
      const c = counts[b * nUnits + u]!;
      if (c === 0) continue;
      const o = b * P;
      for (let k = 0; k < P; k++) acc[o + k]! += c * g[k]!;
    }
  }
}

/** Solves one draw's normal equations; returns the kept coefficients or the reason it failed. */
function solveDraw(prep: PreparedUnitRegression, acc: Float64Array, offset: number, keepIdx: readonly number[], out: Float64Array): string | null {
  const p = prep.p;
  const k = p - 1;
  const xx = new Float64Array(k * k);
  const xy = new Float64Array(k);
  let o = offset;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) {
      const v = acc[o++]!;
      if (a < k) (xx[a * k + b] = v), (xx[b * k + a] = v);
      else if (b < k) xy[b] = v;
    }
  }
  const chol = choleskyPivoted(xx, k);
  const dropped = keepIdx.filter((j) => !chol.kept.includes(prep.nDummies + j));
  if (dropped.length > 0) return `${dropped.map((j) => `'${prep.rhsNames[j]}'`).join(', ')} collinear with the fixed effects or other regressors`;
  const rhs = Float64Array.from(chol.kept, (j) => xy[j]!);
  choleskySolveInPlace(chol.factor, chol.kept.length, rhs);
  keepIdx.forEach((j, i) => {
    const col = prep.nDummies + j;
    out[i] = (rhs[chol.kept.indexOf(col)]! * prep.scale[p - 1]!) / prep.scale[col]!;
  });
  return null;
}

export function unitBootstrap(options: UnitBootstrapOptions): UnitBootstrapResult {
  const { design, regressions, keep, draws, seed } = options;
  const block = options.block ?? 64;
  if (!Number.isInteger(draws) || draws < 1) throw new RangeError(`unitBootstrap: option draws must be a positive integer, got ${draws}`);
  if (!Number.isInteger(block) || block < 1) throw new RangeError(`unitBootstrap: option block must be a positive integer, got ${block}`);
  if (keep.length !== regressions.length) throw new RangeError('unitBootstrap: give one keep list per regression');
  const keepIdx = regressions.map((reg, r) =>
    keep[r]!.map((name) => {
      const j = reg.rhsNames.indexOf(name);
      if (j < 0) throw new RangeError(`unitBootstrap: '${name}' is not a regressor of ${reg.label}; regressors are ${reg.rhsNames.join(', ')}`);
      return j;
    }),
  );
  const preps = regressions.map((reg) => prepareUnitRegression(design, reg));
  const coefficients = keepIdx.map((idx) => idx.map(() => new Float64Array(draws).fill(Number.NaN)));
  const N = design.nUnits;
  const counts = new Int32Array(block * N);
  const accs = preps.map((p) => new Float64Array(block * p.packed));
  const rng = createRng(seed);
  const messages: string[] = [];
  let failed = 0;
  for (let start = 0; start < draws; start += block) {
    const nb = Math.min(block, draws - start);
    drawBlock(rng, counts, nb, N);
    preps.forEach((prep, r) => accumulateGrams(prep, counts, nb, N, accs[r]!));
    const coef = new Float64Array(Math.max(1, ...keepIdx.map((k) => k.length)));
    for (let b = 0; b < nb; b++) {
      let reason: string | null = null;
      preps.forEach((prep, r) => {
        const why = solveDraw(prep, accs[r]!, b * prep.packed, keepIdx[r]!, coef);
        if (why) reason ??= `${prep.label}: ${why}`;
        else keepIdx[r]!.forEach((_, i) => (coefficients[r]![i]![start + b] = coef[i]!));
      });
      if (reason) {
        failed++;
        if (messages.length < MAX_MESSAGES) messages.push(`draw ${start + b}: ${reason}`);
        coefficients.forEach((reg) => reg.forEach((c) => (c[start + b] = Number.NaN)));
      }
    }
    options.onProgress?.(start + nb, draws);
  }
  return Object.freeze({
    coefficients: Object.freeze(coefficients.map((c) => Object.freeze(c))),
    failures: Object.freeze({ count: failed, messages: Object.freeze(messages) }),
    nobs: Object.freeze(preps.map((p) => p.nobs)),
  });
}
