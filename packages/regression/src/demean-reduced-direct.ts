/**
 * The reduced FE system M = B'W(I - P_A)B formed and factored once per FE structure when it is
 * small (see demean-reduced.ts). M = B'WB - Σ_g v_g v_g' / W_g, with v_g the weight of each
 * B level among the rows of A level g: forming it costs Σ_g |v_g|² (pairs of B levels met inside
 * one A level), so it is only done when that and the m³/6 factorization stay below a few dozen
 * passes over the data — what CG would spend. Null pivots (connected components, nested FE)
 * are dropped: those coefficients are set to 0, which leaves the residual unchanged.
 */
/** What the factorization reads of the reduced system (structural, so the two files import one way). */
export interface ReducedView {
  readonly n: number;
  readonly m: number;
  readonly ga: number;
  readonly wa: Float64Array;
  readonly rest: readonly Int32Array[];
  readonly offsets: readonly number[];
  readonly w: Float64Array | undefined;
  byA(): { readonly start: Int32Array; readonly order: Int32Array | null };
}

export const MULTI_DIRECT_MAX = 1500;
/** Forming + factoring M may cost this many row-visits per data row and reduced FE. */
const BUDGET_PER_ROW = 40;
const PIVOT_TOL = 1e-11;

export class MultiWayFactor {
  readonly m: number;
  /** Lower factor, row-major m × m; dropped rows and columns are 0. */
  readonly #L: Float64Array;
  readonly #keep: Uint8Array;

  private constructor(m: number, L: Float64Array, keep: Uint8Array) {
    this.m = m;
    this.#L = L;
    this.#keep = keep;
  }

  /** Builds the factor when affordable, else null. */
  static tryBuild(sys: ReducedView): MultiWayFactor | null {
    const m = sys.m;
    if (m > MULTI_DIRECT_MAX) return null;
    const budget = BUDGET_PER_ROW * sys.n * (sys.rest.length + 1);
    if ((m * m * m) / 6 > budget) return null;
    const { start, order } = sys.byA();
    const { rest, offsets, w, wa } = sys;
    const R = rest.length;
    // Each A level's v_g, canonical (sorted levels); equal ones are merged with Σ 1/W_g, so a
    // balanced panel costs one outer product per distinct pattern (e.g. per region), not per unit.
    const patterns = new PatternSet();
    const cell = new Float64Array(m);
    const touched = new Int32Array(m);
    const vals = new Float64Array(m);
    let pairs = 0;
    for (let g = 0; g < sys.ga; g++) {
      let nt = 0;
      for (let p = start[g]!; p < start[g + 1]!; p++) {
        const i = order ? order[p]! : p;
        const wi = w ? w[i]! : 1;
        for (let r = 0; r < R; r++) {
          const l = offsets[r]! + rest[r]![i]!;
          if (cell[l] === 0) touched[nt++] = l;
          cell[l]! += wi;
        }
      }
      sortInts(touched, nt);
      for (let t = 0; t < nt; t++) {
        vals[t] = cell[touched[t]!]!;
        cell[touched[t]!] = 0;
      }
      if (patterns.add(touched, vals, nt, 1 / wa[g]!)) {
        pairs += nt * nt;
        if (pairs + (m * m * m) / 6 > budget) return null;
      }
    }
    const M = new Float64Array(m * m);
    // B'WB: the diagonal blocks are the level weights, the off-diagonal ones cross counts
    for (let i = 0; i < sys.n; i++) {
      const wi = w ? w[i]! : 1;
      for (let r = 0; r < R; r++) {
        const lr = offsets[r]! + rest[r]![i]!;
        M[lr * m + lr]! += wi;
        for (let s = r + 1; s < R; s++) {
          const ls = offsets[s]! + rest[s]![i]!;
          M[lr * m + ls]! += wi;
          M[ls * m + lr]! += wi;
        }
      }
    }
    // minus Σ_patterns (Σ 1/W_g) v v' (full square: no branch in the inner loop)
    patterns.forEach((lv, vv, from, to, inv) => {
      for (let t = from; t < to; t++) {
        const row = lv[t]! * m;
        const ct = vv[t]! * inv;
        for (let s2 = from; s2 < to; s2++) M[row + lv[s2]!]! -= ct * vv[s2]!;
      }
    });
    return MultiWayFactor.#factor(M, m);
  }

  /** In-place lower Cholesky dropping pivots ≤ PIVOT_TOL × the original diagonal. */
  static #factor(M: Float64Array, m: number): MultiWayFactor {
    const keep = new Uint8Array(m);
    const diag = new Float64Array(m);
    for (let j = 0; j < m; j++) diag[j] = M[j * m + j]!;
    for (let j = 0; j < m; j++) {
      const rj = j * m;
      let d = M[rj + j]!;
      for (let c = 0; c < j; c++) d -= M[rj + c]! * M[rj + c]!;
      if (!(diag[j]! > 0) || !(d > PIVOT_TOL * diag[j]!)) {
        for (let c = 0; c <= j; c++) M[rj + c] = 0;
        for (let i = j + 1; i < m; i++) M[i * m + j] = 0;
        continue;
      }
      keep[j] = 1;
      const ljj = Math.sqrt(d);
      M[rj + j] = ljj;
      for (let i = j + 1; i < m; i++) {
        const ri = i * m;
        let s = M[ri + j]!;
        for (let c = 0; c < j; c++) s -= M[ri + c]! * M[rj + c]!;
        M[ri + j] = s / ljj;
      }
    }
    // clear the upper triangle so rows hold L only
    for (let r = 0; r < m; r++) for (let c = r + 1; c < m; c++) M[r * m + c] = 0;
    return new MultiWayFactor(m, M, keep);
  }

  /** x = M⁺ b for k interleaved right-hand sides (dropped coefficients 0). */
  solve(b: Float64Array, x: Float64Array, k: number): void {
    const m = this.m;
    const L = this.#L;
    const keep = this.#keep;
    const v = new Float64Array(m);
    for (let j = 0; j < k; j++) {
      for (let l = 0; l < m; l++) v[l] = keep[l] ? b[l * k + j]! : 0;
      for (let i = 0; i < m; i++) {
        if (!keep[i]) continue;
        const ri = i * m;
        let s = v[i]!;
        for (let c = 0; c < i; c++) s -= L[ri + c]! * v[c]!;
        v[i] = s / L[ri + i]!;
      }
      for (let i = m - 1; i >= 0; i--) {
        if (!keep[i]) continue;
        let s = v[i]!;
        for (let r = i + 1; r < m; r++) s -= L[r * m + i]! * v[r]!;
        v[i] = s / L[i * m + i]!;
      }
      for (let l = 0; l < m; l++) x[l * k + j] = v[l]!;
    }
  }
}

/** Insertion sort of the first n entries (n is a level's distinct B levels: small). */
function sortInts(a: Int32Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** Distinct (levels, values) patterns in pooled arrays, hashed; each with its summed weight Σ 1/W_g. */
class PatternSet {
  #lv = new Int32Array(1024);
  #vv = new Float64Array(1024);
  #used = 0;
  readonly #from: number[] = [];
  readonly #to: number[] = [];
  readonly #inv: number[] = [];
  readonly #byHash = new Map<number, number[]>();

  /** Adds one pattern; true when it is new. */
  add(lv: Int32Array, vv: Float64Array, n: number, inv: number): boolean {
    let h = n;
    for (let t = 0; t < n; t++) h = (Math.imul(h ^ lv[t]!, 0x9e3779b1) + Math.imul((vv[t]! * 4096) | 0, 0x85ebca6b)) | 0;
    const bucket = this.#byHash.get(h);
    if (bucket) {
      for (const e of bucket) {
        const from = this.#from[e]!;
        if (this.#to[e]! - from !== n) continue;
        let same = true;
        for (let t = 0; t < n && same; t++) same = this.#lv[from + t] === lv[t] && this.#vv[from + t] === vv[t];
        if (same) {
          this.#inv[e]! += inv;
          return false;
        }
      }
    }
    if (this.#used + n > this.#lv.length) {
      const size = Math.max(this.#lv.length * 2, this.#used + n);
      const lv2 = new Int32Array(size);
      lv2.set(this.#lv.subarray(0, this.#used));
      this.#lv = lv2;
      const vv2 = new Float64Array(size);
      vv2.set(this.#vv.subarray(0, this.#used));
      this.#vv = vv2;
    }
    this.#lv.set(lv.subarray(0, n), this.#used);
    this.#vv.set(vv.subarray(0, n), this.#used);
    const e = this.#from.length;
    this.#from.push(this.#used);
    this.#to.push(this.#used + n);
    this.#inv.push(inv);
    this.#used += n;
    if (bucket) bucket.push(e);
    else this.#byHash.set(h, [e]);
    return true;
  }

  forEach(fn: (lv: Int32Array, vv: Float64Array, from: number, to: number, inv: number) => void): void {
    for (let e = 0; e < this.#from.length; e++) fn(this.#lv, this.#vv, this.#from[e]!, this.#to[e]!, this.#inv[e]!);
  }
}
