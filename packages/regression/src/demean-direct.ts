/**
 * Exact two-way demeaning when one FE is small (e.g. years): eliminate the large FE and solve
 * the small Schur-complement system once, instead of iterating. With V the Ga x Gb table of
 * weight sums per (a, b) cell and Da, Db the level weights, the small-FE coefficients solve
 *   (Db - V' Da⁻¹ V) β = Sb - V' Da⁻¹ Sa,
 * and α = Da⁻¹ (Sa - V β). Each row of V is stored as c·1 + d_g with d_g sparse: c = 1 for
 * unweighted data, so a nearly balanced panel stores only its holes and every product with V
 * costs O(Ga + holes); c = 0 with weights (d_g = the row's non-zero cells). The small matrix is
 * factored once per FE structure; each column then costs two passes over the data. The system
 * is singular by one per connected component (the intercept), so the pivoted Cholesky drops
 * those directions (β = 0 there), which leaves the residual unchanged.
 */
import { choleskyPivoted, choleskySolveInPlace } from './linalg.js';

export const DIRECT_MAX_SMALL = 400;

/** Whether the direct path applies: the small FE small, its cell table not much bigger than the data. */
export function directApplies(n: number, sizes: readonly number[]): boolean {
  if (sizes.length !== 2) return false;
  const small = Math.min(sizes[0]!, sizes[1]!);
  const big = Math.max(sizes[0]!, sizes[1]!);
  return small <= DIRECT_MAX_SMALL && big * small <= Math.max(4 * n, 1 << 20) && big * small <= 1 << 26;
}

export class TwoWayDirect {
  readonly #a: Int32Array;
  readonly #b: Int32Array;
  readonly #ga: number;
  readonly #gb: number;
  readonly #wa: Float64Array;
  readonly #c: number;
  readonly #runStart: Int32Array | null;
  /** CSR of the sparse parts d_g. */
  readonly #rowStart: Int32Array;
  readonly #col: Int32Array;
  readonly #val: Float64Array;
  readonly #factor: Float64Array;
  readonly #kept: readonly number[];
  readonly #w: Float64Array | undefined;
  // per-column scratch
  readonly #sa: Float64Array;
  readonly #sb: Float64Array;
  readonly #beta: Float64Array;
  readonly #rhs: Float64Array;

  constructor(fe: readonly Int32Array[], sizes: readonly number[], levelWeights: readonly Float64Array[], w?: Float64Array) {
    const ia = sizes[0]! >= sizes[1]! ? 0 : 1; // a = large, b = small
    const ib = 1 - ia;
    const a = (this.#a = fe[ia]!);
    const b = (this.#b = fe[ib]!);
    const ga = (this.#ga = sizes[ia]!);
    const gb = (this.#gb = sizes[ib]!);
    const wa = (this.#wa = levelWeights[ia]!);
    const wb = levelWeights[ib]!;
    this.#w = w;
    const c = (this.#c = w ? 0 : 1);
    const rows = sparseRows(a, b, ga, gb, c, w);
    this.#runStart = rows.runStart;
    const rowStart = (this.#rowStart = rows.rowStart);
    const col = (this.#col = rows.col);
    const val = (this.#val = rows.val);
    // M = Db - Σ_g v_g v_g' / Wa_g with v_g = c·1 + d_g
    const M = new Float64Array(gb * gb);
    const u = new Float64Array(gb);
    let s0 = 0;
    for (let g = 0; g < ga; g++) {
      const inv = 1 / wa[g]!;
      s0 += inv;
      for (let p = rowStart[g]!; p < rowStart[g + 1]!; p++) {
        const tp = col[p]!;
        const sp = val[p]! * inv;
        u[tp]! += sp;
        for (let q = rowStart[g]!; q < rowStart[g + 1]!; q++) M[tp * gb + col[q]!]! -= sp * val[q]!;
      }
    }
    for (let t = 0; t < gb; t++) {
      M[t * gb + t]! += wb[t]!;
      for (let v = 0; v < gb; v++) M[t * gb + v]! -= c * c * s0 + c * (u[t]! + u[v]!);
    }
    const ch = choleskyPivoted(M, gb, 1e-11);
    this.#factor = ch.factor;
    this.#kept = ch.kept;
    this.#sa = new Float64Array(ga);
    this.#sb = new Float64Array(gb);
    this.#beta = new Float64Array(gb);
    this.#rhs = new Float64Array(ch.kept.length);
  }

  run(y: Float64Array): Float64Array {
    const a = this.#a;
    const b = this.#b;
    const w = this.#w;
    const n = y.length;
    const ga = this.#ga;
    const c = this.#c;
    const rowStart = this.#rowStart;
    const col = this.#col;
    const val = this.#val;
    const sa = this.#sa.fill(0);
    const sb = this.#sb.fill(0);
    const runs = this.#runStart;
    if (runs) {
      // rows grouped by a: the a-sums are running sums, no scatter
      for (let g = 0; g < ga; g++) {
        let acc = 0;
        const end = runs[g + 1]!;
        if (w) {
          for (let i = runs[g]!; i < end; i++) {
            const wy = w[i]! * y[i]!;
            acc += wy;
            sb[b[i]!]! += wy;
          }
        } else {
          for (let i = runs[g]!; i < end; i++) {
            const yi = y[i]!;
            acc += yi;
            sb[b[i]!]! += yi;
          }
        }
        sa[g] = acc;
      }
    } else if (w) {
      for (let i = 0; i < n; i++) {
        const wy = w[i]! * y[i]!;
        sa[a[i]!]! += wy;
        sb[b[i]!]! += wy;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const yi = y[i]!;
        sa[a[i]!]! += yi;
        sb[b[i]!]! += yi;
      }
    }
    // rhs = Sb - V' Da⁻¹ Sa
    const wa = this.#wa;
    const vtx = this.#beta.fill(0);
    let total = 0;
    for (let g = 0; g < ga; g++) {
      const m = sa[g]! / wa[g]!;
      total += m;
      for (let p = rowStart[g]!; p < rowStart[g + 1]!; p++) vtx[col[p]!]! += val[p]! * m;
    }
    const kept = this.#kept;
    const rhs = this.#rhs;
    for (let j = 0; j < kept.length; j++) rhs[j] = sb[kept[j]!]! - c * total - vtx[kept[j]!]!;
    choleskySolveInPlace(this.#factor, kept.length, rhs);
    const beta = vtx.fill(0);
    let betaSum = 0;
    for (let j = 0; j < kept.length; j++) {
      beta[kept[j]!] = rhs[j]!;
      betaSum += rhs[j]!;
    }
    // α = Da⁻¹ (Sa - V β), stored in sa
    for (let g = 0; g < ga; g++) {
      let s = c * betaSum;
      for (let p = rowStart[g]!; p < rowStart[g + 1]!; p++) s += val[p]! * beta[col[p]!]!;
      sa[g] = (sa[g]! - s) / wa[g]!;
    }
    const out = new Float64Array(n);
    if (runs) {
      for (let g = 0; g < ga; g++) {
        const alpha = sa[g]!;
        const end = runs[g + 1]!;
        for (let i = runs[g]!; i < end; i++) out[i] = y[i]! - alpha - beta[b[i]!]!;
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = y[i]! - sa[a[i]!]! - beta[b[i]!]!;
    }
    return out;
  }
}

interface SparseRows {
  /** When the data rows are grouped by a: first data row of each level (length ga + 1). */
  runStart: Int32Array | null;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

/** CSR of d_g = (row g of V) - c·1. Rows grouped by a (the usual panel order) avoid the dense table. */
function sparseRows(a: Int32Array, b: Int32Array, ga: number, gb: number, c: number, w?: Float64Array): SparseRows {
  const n = a.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (a[i]! < a[i - 1]!) {
      sorted = false;
      break;
    }
  }
  return sorted ? sparseRowsSorted(a, b, ga, gb, c, w) : sparseRowsDense(a, b, ga, gb, c, w);
}

function sparseRowsSorted(a: Int32Array, b: Int32Array, ga: number, gb: number, c: number, w?: Float64Array): SparseRows {
  const n = a.length;
  const rowStart = new Int32Array(ga + 1);
  const runStart = new Int32Array(ga + 1);
  let col = new Int32Array(Math.max(16, n >> 3));
  let val = new Float64Array(col.length);
  let nnz = 0;
  const acc = new Float64Array(gb).fill(0);
  let i = 0;
  for (let g = 0; g < ga; g++) {
    rowStart[g] = nnz;
    runStart[g] = i;
    // every level of a has rows (checked by prepareFixedEffects) and rows are grouped by a
    while (i < n && a[i] === g) {
      acc[b[i]!]! += w ? w[i]! : 1;
      i++;
    }
    for (let t = 0; t < gb; t++) {
      const d = acc[t]! - c;
      acc[t] = 0;
      if (d === 0) continue;
      if (nnz === col.length) {
        const bigger = new Int32Array(col.length * 2);
        bigger.set(col);
        col = bigger;
        const biggerVal = new Float64Array(val.length * 2);
        biggerVal.set(val);
        val = biggerVal;
      }
      col[nnz] = t;
      val[nnz++] = d;
    }
  }
  rowStart[ga] = nnz;
  runStart[ga] = n;
  return { runStart, rowStart, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

function sparseRowsDense(a: Int32Array, b: Int32Array, ga: number, gb: number, c: number, w?: Float64Array): SparseRows {
  const n = a.length;
  const V = new Float64Array(ga * gb);
  if (w) for (let i = 0; i < n; i++) V[a[i]! * gb + b[i]!]! += w[i]!;
  else for (let i = 0; i < n; i++) V[a[i]! * gb + b[i]!]! += 1;
  let nnz = 0;
  for (let m = 0; m < V.length; m++) if (V[m] !== c) nnz++;
  const rowStart = new Int32Array(ga + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let g = 0, k = 0; g < ga; g++) {
    rowStart[g] = k;
    const base = g * gb;
    for (let t = 0; t < gb; t++) {
      const d = V[base + t]! - c;
      if (d !== 0) {
        col[k] = t;
        val[k++] = d;
      }
    }
    rowStart[ga] = k;
  }
  return { runStart: null, rowStart, col, val };
}
