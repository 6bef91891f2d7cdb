import type { TwfePrepared } from './fwl.js';
import { createScorePass, newScoreLane, type ScoreLane, type ScorePass, type SeKernel } from './score-pass.js';

/** beta and its CR1 SE for one treatment assignment; NaN when D is absorbed by the FE and controls. */
export interface DrawStat {
  beta: number;
  se: number;
}

/** D'e and D'Z~ of an assignment when a backend kernel computed them (the kernel path). */
export interface CrossTerms {
  readonly a: number;
  readonly c: Float64Array;
}

/** "Unit units[j] starts treatment at period index starts[j]" for j < m; other units untreated. */
export interface DrawAssignment {
  readonly units: Int32Array;
  readonly starts: Int32Array;
  readonly m: number;
}

/** Below this share of D'D left after partialling out, the pseudo-treatment is collinear (feols' collin.tol scale). */
const COLLINEAR = 1e-10;

export interface TwfeDrawEvaluatorOptions {
  /** Per-draw SE pass: 'auto' (default) = WebAssembly SIMD where available, else JS. */
  readonly seKernel?: 'auto' | SeKernel;
}

/**
 * Evaluates the TWFE coefficient of treatment assignments in float64, reusing its scratch buffers
 * (one evaluator per worker).
 */
export class TwfeDrawEvaluator {
  readonly #p: TwfePrepared;
  readonly #c: Float64Array;
  readonly #gamma: Float64Array;
  readonly #hist: Float64Array;
  readonly #m: Float64Array;
  readonly #scores: Float64Array;
  readonly #seKernel: 'auto' | SeKernel;
  #pass: ScorePass | undefined;
  #passNote: string | undefined;
  #lanes: ScoreLane[] = [];
  /** Per lane of the score pass: the draw it holds, D~'M D~, and the pass's sum of squared scores. */
  #owner = new Int32Array(0);
  #dens = new Float64Array(0);
  #meat = new Float64Array(0);

  constructor(prepared: TwfePrepared, options: TwfeDrawEvaluatorOptions = {}) {
    const K = prepared.z.length;
    this.#p = prepared;
    this.#c = new Float64Array(K);
    this.#gamma = new Float64Array(K);
    this.#hist = new Float64Array(prepared.nPeriods + 1);
    this.#m = new Float64Array(prepared.n);
    this.#scores = new Float64Array(prepared.nClusters);
    this.#seKernel = options.seKernel ?? 'auto';
  }

  /** The SE pass of balanced panels (built on first use) and why it is not the fastest one, if so. */
  scorePass(): { pass: ScorePass; note?: string } {
    if (!this.#pass) {
      const made = createScorePass(this.#p, this.#seKernel);
      this.#pass = made.pass;
      this.#passNote = made.note;
      this.#lanes = Array.from({ length: made.pass.lanes }, () => newScoreLane(this.#p));
      this.#owner = new Int32Array(made.pass.lanes);
      this.#dens = new Float64Array(made.pass.lanes);
      this.#meat = new Float64Array(made.pass.lanes);
    }
    return this.#passNote === undefined ? { pass: this.#pass } : { pass: this.#pass, note: this.#passNote };
  }

  /** One assignment (see evaluateMany). */
  evaluate(units: Int32Array, starts: Int32Array, m: number, withSe: boolean, cross?: CrossTerms): DrawStat {
    const draw = { units, starts, m };
    return this.evaluateEach(1, () => draw, withSe, cross ? () => cross : undefined)[0]!;
  }

  /** Several assignments (see evaluateEach). */
  evaluateMany(draws: readonly DrawAssignment[], withSe: boolean, cross?: readonly CrossTerms[]): DrawStat[] {
    if (cross && cross.length !== draws.length) throw new Error(`evaluateMany: ${cross.length} cross terms for ${draws.length} draws`);
    let b = 0;
    return this.evaluateEach(draws.length, () => draws[b++]!, withSe, cross ? (k) => cross[k]! : undefined);
  }

  /**
   * Balanced panels: count draws from next() (whose buffers may be reused between calls). Slopes
   * come from the tail-sum tables (or from kernel cross terms) and D'P_FE D in closed form,
   * O(treated x controls) per draw; SEs need a pass over the rows, made for several draws at once.
   */
  evaluateEach(count: number, next: () => DrawAssignment, withSe: boolean, crossAt?: (b: number) => CrossTerms): DrawStat[] {
    const p = this.#p;
    if (!p.balanced) throw new Error('unbalanced panel: the demeaned pseudo-treatment must be given (placebo chunks demean it in batches)');
    const out: DrawStat[] = new Array(count);
    const pass = withSe ? this.scorePass().pass : undefined;
    const lanes = this.#lanes;
    const owner = this.#owner;
    const dens = this.#dens;
    const meat = this.#meat;
    let filled = 0;
    const flush = () => {
      pass!.run(lanes, filled, meat);
      for (let l = 0; l < filled; l++) out[owner[l]!]!.se = Math.sqrt(p.vcovAdj * meat[l]!) / dens[l]!;
      filled = 0;
    };
    for (let b = 0; b < count; b++) {
      const d = next();
      const lane = pass ? lanes[filled]! : undefined;
      const { a, den } = this.#slope(d, crossAt?.(b), lane);
      const beta = a / den;
      out[b] = { beta: Number.isFinite(beta) ? beta : Number.NaN, se: Number.NaN };
      if (!lane || !Number.isFinite(beta)) continue;
      lane.units.set(d.units.subarray(0, d.m));
      lane.starts.set(d.starts.subarray(0, d.m));
      lane.m = d.m;
      dens[filled] = den;
      owner[filled++] = b;
      if (filled === lanes.length) flush();
    }
    if (filled > 0) flush();
    return out;
  }

  /**
   * beta = a / den of one assignment (den NaN when D is collinear with the FE and controls); with a
   * lane, fills its shift, gamma and beta for the SE pass.
   */
  #slope(d: DrawAssignment, cross: CrossTerms | undefined, lane: ScoreLane | undefined): { a: number; den: number } {
    const p = this.#p;
    const { units, starts, m } = d;
    const T = p.nPeriods;
    const N = p.nUnits;
    const S = T + 1;
    const K = p.z.length;
    const c = this.#c;
    let a = 0;
    let dd = 0;
    let sumUnitSq = 0;
    const hist = this.#hist.fill(0);
    if (cross) {
      a = cross.a;
      c.set(cross.c);
    } else c.fill(0);
    const tail = p.tail;
    const R = p.tailStride;
    for (let j = 0; j < m; j++) {
      const s = starts[j]!;
      const at = (units[j]! * S + s) * R;
      const rows = tail[at + 1]!;
      dd += rows;
      sumUnitSq += rows * rows;
      hist[s]! += 1;
      if (!cross) {
        a += tail[at]!;
        for (let k = 0; k < K; k++) c[k]! += tail[at + 2 + k]!;
      }
    }
    sumUnitSq /= T;
    // D'P_FE D = T sum_i Dbar_i^2 + N sum_t Dbar_t^2 - NT Dbar^2 (balanced two-way projection)
    let cumT = 0;
    let sumTimeSq = 0;
    for (let t = 0; t < T; t++) {
      cumT += hist[t]!;
      sumTimeSq += cumT * cumT;
    }
    const dpd = sumUnitSq + sumTimeSq / N - (dd * dd) / (N * T);
    const q = dd - dpd;
    const den = this.#partialOut(q);
    if (!(den > COLLINEAR * q) || !(q > 0)) return { a, den: Number.NaN };
    if (lane) {
      // D~ = D - Dbar_i - Dbar_t + Dbar: the time part, per period
      const dbar = dd / (N * T);
      cumT = 0;
      for (let t = 0; t < T; t++) {
        cumT += hist[t]!;
        lane.shift[t] = dbar - cumT / N;
      }
      lane.gamma.set(this.#gamma);
      lane.beta = a / den;
    }
    return { a, den };
  }

  /** Any panel: beta and SE for an explicitly demeaned treatment column d~, O(rows x controls). */
  evaluateDemeaned(dTilde: Float64Array, withSe: boolean): DrawStat {
    const p = this.#p;
    const K = p.z.length;
    const c = this.#c;
    let a = 0;
    let q = 0;
    for (let i = 0; i < p.n; i++) {
      a += dTilde[i]! * p.ey[i]!;
      q += dTilde[i]! * dTilde[i]!;
    }
    for (let k = 0; k < K; k++) {
      const zk = p.z[k]!;
      let s = 0;
      for (let i = 0; i < p.n; i++) s += zk[i]! * dTilde[i]!;
      c[k] = s;
    }
    const den = this.#partialOut(q);
    if (!(den > COLLINEAR * q) || !(q > 0)) return { beta: Number.NaN, se: Number.NaN };
    const beta = a / den;
    if (!withSe) return { beta, se: Number.NaN };
    this.#m.set(dTilde);
    return { beta, se: this.#clusterSe(beta, den) };
  }

  /** gamma = G^-1 c and returns q - c'gamma = D~'M D~. */
  #partialOut(q: number): number {
    const p = this.#p;
    const K = p.z.length;
    const c = this.#c;
    const g = this.#gamma;
    let cg = 0;
    for (let r = 0; r < K; r++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += p.ginv[r * K + k]! * c[k]!;
      g[r] = s;
      cg += c[r]! * s;
    }
    return q - cg;
  }

  /** m holds D~ on entry: subtracts Z~ gamma, then CR1 from the cluster sums of m (e - beta m). */
  #clusterSe(beta: number, den: number): number {
    const p = this.#p;
    const mv = this.#m;
    const n = p.n;
    for (let k = 0; k < p.z.length; k++) {
      const gk = this.#gamma[k]!;
      if (gk === 0) continue;
      const zk = p.z[k]!;
      for (let i = 0; i < n; i++) mv[i]! -= gk * zk[i]!;
    }
    const sc = this.#scores.fill(0);
    const { ey, cluster } = p;
    for (let i = 0; i < n; i++) {
      const mi = mv[i]!;
      sc[cluster[i]!]! += mi * (ey[i]! - beta * mi);
    }
    let meat = 0;
    for (let g = 0; g < sc.length; g++) meat += sc[g]! * sc[g]!;
    return Math.sqrt((p.vcovAdj * meat) / (den * den));
  }
}

/** The pseudo-treatment columns D of a batch of assignments (n x count, column-major 0/1). */
export function treatmentColumns(
  p: TwfePrepared,
  assignments: readonly { units: Int32Array; starts: Int32Array; m: number }[],
  out?: Float64Array,
): Float64Array {
  const n = p.n;
  const data = out ?? new Float64Array(n * assignments.length);
  data.fill(0);
  const startOf = new Int32Array(p.nUnits).fill(-1);
  assignments.forEach((asg, b) => {
    for (let j = 0; j < asg.m; j++) startOf[asg.units[j]!] = asg.starts[j]!;
    const off = b * n;
    for (let i = 0; i < n; i++) {
      const s = startOf[p.unit[i]!]!;
      if (s >= 0 && p.time[i]! >= s) data[off + i] = 1;
    }
    for (let j = 0; j < asg.m; j++) startOf[asg.units[j]!] = -1;
  });
  return data;
}
