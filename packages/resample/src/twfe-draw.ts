import { fusedScoreKernel, type FusedScoreKernel } from './fused-score.js';
import type { TwfePrepared } from './fwl.js';

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

/** Start index of an untreated unit in the fused pass (no period index reaches it). */
const NEVER = 2 ** 30;

const rowMajorCache = new WeakMap<readonly Float64Array[], Float64Array>();
function rowMajor(cols: readonly Float64Array[], n: number): Float64Array {
  let out = rowMajorCache.get(cols);
  if (!out) {
    const K = cols.length;
    out = new Float64Array(n * K);
    cols.forEach((c, k) => {
      for (let i = 0; i < n; i++) out![i * K + k] = c[i]!;
    });
    rowMajorCache.set(cols, out);
  }
  return out;
}

/** Below this share of D'D left after partialling out, the pseudo-treatment is collinear (feols' collin.tol scale). */
const COLLINEAR = 1e-10;

/**
 * Evaluates the TWFE coefficient of assignments "unit units[j] starts treatment at period index
 * starts[j]" (other units untreated), in float64, reusing its scratch buffers (one per worker).
 */
export class TwfeDrawEvaluator {
  readonly #p: TwfePrepared;
  readonly #c: Float64Array;
  readonly #gamma: Float64Array;
  readonly #hist: Float64Array;
  readonly #startOf: Int32Array;
  readonly #dbarU: Float64Array;
  readonly #dbarT: Float64Array;
  /** Z~ row-major (n x K), so the fused SE pass reads each row's controls contiguously. */
  #zRows: Float64Array | undefined;
  readonly #kernel: FusedScoreKernel;
  readonly #m: Float64Array;
  readonly #scores: Float64Array;

  constructor(prepared: TwfePrepared) {
    const K = prepared.z.length;
    this.#p = prepared;
    this.#c = new Float64Array(K);
    this.#gamma = new Float64Array(K);
    this.#hist = new Float64Array(prepared.nPeriods + 1);
    this.#startOf = new Int32Array(prepared.nUnits).fill(NEVER);
    this.#dbarU = new Float64Array(prepared.nUnits);
    this.#dbarT = new Float64Array(prepared.nPeriods);
    this.#m = new Float64Array(prepared.n);
    this.#kernel = fusedScoreKernel(K);
    this.#scores = new Float64Array(prepared.nClusters);
  }

  /**
   * Balanced panels: slopes from the tail-sum tables (or from kernel cross terms) and D'P_FE D in
   * closed form; the SE needs one pass over the rows (M D~ and the cluster scores).
   */
  evaluate(units: Int32Array, starts: Int32Array, m: number, withSe: boolean, cross?: CrossTerms): DrawStat {
    const p = this.#p;
    if (!p.balanced) return this.evaluateExplicit(units, starts, m, withSe);
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
    if (!(den > COLLINEAR * q) || !(q > 0)) return { beta: Number.NaN, se: Number.NaN };
    const beta = a / den;
    if (!withSe) return { beta, se: Number.NaN };
    // One fused pass over the rows: m = D - Dbar_i - Dbar_t + Dbar - Z~ gamma, score_c += m (e - beta m).
    const startOf = this.#startOf;
    const dbarU = this.#dbarU;
    for (let j = 0; j < m; j++) {
      startOf[units[j]!] = starts[j]!;
      dbarU[units[j]!] = (T - starts[j]!) / T;
    }
    const dbar = dd / (N * T);
    const shift = this.#dbarT;
    cumT = 0;
    for (let t = 0; t < T; t++) {
      cumT += hist[t]!;
      shift[t] = dbar - cumT / N;
    }
    const zr = (this.#zRows ??= rowMajor(p.z, p.n));
    const sc = this.#scores.fill(0);
    this.#kernel(p.n, p.unit, p.time, p.cluster, startOf, dbarU, shift, zr, this.#gamma, p.ey, beta, sc);
    for (let j = 0; j < m; j++) {
      startOf[units[j]!] = NEVER;
      dbarU[units[j]!] = 0;
    }
    let meat = 0;
    for (let c = 0; c < sc.length; c++) meat += sc[c]! * sc[c]!;
    return { beta, se: Math.sqrt((p.vcovAdj * meat) / (den * den)) };
  }

  /**
   * Any panel: D is demeaned explicitly (dTilde given, or demeaned by the caller in batches); all
   * cross products are taken on D~ itself. O(rows x controls) per draw.
   */
  evaluateExplicit(units: Int32Array, starts: Int32Array, m: number, withSe: boolean, dTilde?: Float64Array): DrawStat {
    if (!dTilde) throw new Error('unbalanced panel: the demeaned pseudo-treatment must be given (placebo chunks demean it in batches)');
    return this.evaluateDemeaned(dTilde, withSe);
  }

  /** beta and SE for an explicitly demeaned treatment column d~. */
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
