/**
 * The reduced FE system M = B'W(I - P_A)B formed and factored once per FE structure when that is
 * cheap (see demean-reduced.ts). M = B'WB - Σ_g v_g v_g' / W_g, with v_g the weight of each B
 * level among the rows of A level g. M is stored by its envelope (row l holds columns first[l]..l):
 * B levels that never meet inside one A level leave zeros there, so a firm graph that is a long
 * thin chain (the "difficult" worker-firm design) or regions of region^year levels give a narrow
 * band and a cheap exact factor, where iterating would need thousands of sweeps. Equal v_g
 * (balanced panels) are merged first. Used when forming + factoring costs less than a few dozen
 * passes over the data; null pivots (connected components, collinear levels) are dropped: those
 * coefficients are 0, which leaves the residual unchanged.
 */

/** What the factorization reads of the reduced system (structural, so the two files import one way). */
export interface ReducedView {
  readonly n: number;
  readonly m: number;
  readonly ga: number;
  readonly wa: Float64Array;
  /** Reduced dimensions: row p's level in the m-vector of dimension r is idx[p·R + r]. */
  readonly R: number;
  readonly idx: Int32Array;
  readonly w: Float64Array | undefined;
  /** Rows grouped by A level: idx and weights are in this order, level g at rows start[g]..start[g+1]. */
  readonly start: Int32Array;
  /** Envelope of M: the lowest level met with level l inside one A level (or l itself). */
  readonly first: Int32Array;
}

/** Forming + factoring M may cost this many operations per data row and reduced FE. */
const BUDGET_PER_ROW = 40;
const PIVOT_TOL = 1e-11;

export class MultiWayFactor {
  readonly m: number;
  readonly #first: Int32Array;
  readonly #rowStart: Float64Array;
  /** Envelope of the lower factor: row l, column c at rowStart[l] + c - first[l]. */
  readonly #L: Float64Array;
  readonly #keep: Uint8Array;

  private constructor(m: number, first: Int32Array, rowStart: Float64Array, L: Float64Array, keep: Uint8Array) {
    this.m = m;
    this.#first = first;
    this.#rowStart = rowStart;
    this.#L = L;
    this.#keep = keep;
  }

  /** Builds the factor when affordable, else null. */
  static tryBuild(sys: ReducedView): MultiWayFactor | null {
    const m = sys.m;
    const { start, R, idx, w, wa } = sys;
    const budget = BUDGET_PER_ROW * sys.n * (R + 1);
    // Each A level's v_g, canonical (sorted levels); equal ones are merged with Σ 1/W_g, so a
    // balanced panel costs one outer product per distinct pattern (e.g. per region), not per unit.
    const patterns = new PatternSet();
    const cell = new Float64Array(m);
    const touched = new Int32Array(m);
    const vals = new Float64Array(m);
    // the envelope first (cheap, no pattern kept): a wide envelope (random crossed FE) is left to CG
    const first = sys.first;
    const rowStart = new Float64Array(m + 1);
    for (let l = 0; l < m; l++) rowStart[l + 1] = rowStart[l]! + l - first[l]! + 1;
    if (rowStart[m]! > 2 ** 27) return null;
    // factor cost: each envelope entry (i, j) costs its overlap with row j (a dense row at the end
    // of a narrow band costs the band, not m²)
    let cost = 0;
    for (let i = 0; i < m && cost <= budget; i++) {
      const fi = first[i]!;
      for (let j = fi; j < i; j++) cost += j - Math.max(fi, first[j]!);
    }
    if (cost > budget) return null;
    let pairs = 0;
    for (let g = 0; g < sys.ga; g++) {
      let nt = 0;
      for (let p = start[g]!, e = p * R; p < start[g + 1]!; p++) {
        const wi = w ? w[p]! : 1;
        for (const end = e + R; e < end; e++) {
          const l = idx[e]!;
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
        if (pairs + cost > budget) return null;
      }
    }
    const L = new Float64Array(rowStart[m]!);
    const at = (r: number, c: number) => rowStart[r]! + c - first[r]!;
    for (let i = 0; i < sys.n; i++) {
      const wi = w ? w[i]! : 1;
      for (let r = 0; r < R; r++) {
        const lr = idx[i * R + r]!;
        L[at(lr, lr)]! += wi;
        for (let s = r + 1; s < R; s++) {
          const ls = idx[i * R + s]!;
          L[lr > ls ? at(lr, ls) : at(ls, lr)]! += wi;
        }
      }
    }
    // minus Σ_patterns (Σ 1/W_g) v v' (lower triangle; levels sorted, so row t meets columns s ≤ t)
    patterns.forEach((lv, vv, from, to, inv) => {
      for (let t = from; t < to; t++) {
        const lt = lv[t]!;
        const base = rowStart[lt]! - first[lt]!;
        const ct = vv[t]! * inv;
        for (let s2 = from; s2 <= t; s2++) L[base + lv[s2]!]! -= ct * vv[s2]!;
      }
    });
    return MultiWayFactor.#factor(m, first, rowStart, L);
  }

  /** Envelope Cholesky in place (row by row), dropping pivots ≤ PIVOT_TOL × the original diagonal. */
  static #factor(m: number, first: Int32Array, rowStart: Float64Array, L: Float64Array): MultiWayFactor {
    const keep = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      const fi = first[i]!;
      const bi = rowStart[i]! - fi;
      for (let j = fi; j < i; j++) {
        if (!keep[j]) {
          L[bi + j] = 0;
          continue;
        }
        const bj = rowStart[j]! - first[j]!;
        let s = L[bi + j]!;
        for (let c = Math.max(fi, first[j]!); c < j; c++) s -= L[bi + c]! * L[bj + c]!;
        L[bi + j] = s / L[bj + j]!;
      }
      const mii = L[bi + i]!;
      let d = mii;
      for (let c = fi; c < i; c++) d -= L[bi + c]! * L[bi + c]!;
      if (!(mii > 0) || !(d > PIVOT_TOL * mii)) {
        for (let c = fi; c <= i; c++) L[bi + c] = 0;
        continue;
      }
      keep[i] = 1;
      L[bi + i] = Math.sqrt(d);
    }
    return new MultiWayFactor(m, first, rowStart, L, keep);
  }

  /** x = M⁺ b for k interleaved right-hand sides (dropped coefficients 0). */
  solve(b: Float64Array, x: Float64Array, k: number): void {
    const m = this.m;
    const L = this.#L;
    const keep = this.#keep;
    const first = this.#first;
    const rowStart = this.#rowStart;
    const v = new Float64Array(m);
    for (let j = 0; j < k; j++) {
      for (let i = 0; i < m; i++) {
        if (!keep[i]) {
          v[i] = 0;
          continue;
        }
        const bi = rowStart[i]! - first[i]!;
        let s = b[i * k + j]!;
        for (let c = first[i]!; c < i; c++) s -= L[bi + c]! * v[c]!;
        v[i] = s / L[bi + i]!;
      }
      for (let i = m - 1; i >= 0; i--) {
        if (!keep[i]) continue;
        const bi = rowStart[i]! - first[i]!;
        const vi = (v[i] = v[i]! / L[bi + i]!);
        for (let c = first[i]!; c < i; c++) v[c]! -= L[bi + c]! * vi;
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
