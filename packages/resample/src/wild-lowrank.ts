import { demean } from '@panel-lab/regression';

/**
 * The cross-cluster matrices as diagonal plus rank r (Roodman, MacKinnon, Nielsen & Webb 2019):
 *   Ky = diag(A) - ZX' Cy,  Kx = diag(H) - ZX' Cx,  Cy = Ginv ZY,  Cx = Ginv ZX,
 * with Z the regressors partialled out that are NOT nested in the clusters (dummies of non-nested
 * FE, and the controls), ZX[k, c] = sum over cluster c of z_k xr, ZY likewise with yr, and Ginv a
 * generalized inverse of Z' M_D Z (M_D: residual maker of the nested FE). Why: xr and yr are
 * orthogonal to every nested FE dummy, and those dummies live inside one cluster, so the nested
 * FE drop out of the cross-cluster terms. A draw then costs O(r G) instead of O(G^2). All r x G,
 * row-major.
 */
export interface WildLowRank {
  readonly r: number;
  readonly ZX: Float64Array;
  readonly Cy: Float64Array;
  readonly Cx: Float64Array;
}

export interface LowRankInput {
  readonly n: number;
  readonly xr: Float64Array;
  readonly yr: Float64Array;
  readonly cluster: Int32Array;
  readonly G: number;
  readonly fe: readonly { readonly codes: Int32Array; readonly size: number; readonly nested: boolean }[];
  /** The kept controls, already partialled out of the FE (so orthogonal to the FE dummies). */
  readonly controls: readonly Float64Array[];
  /** Inverse of the controls' Gram matrix (kz x kz, row-major). */
  readonly controlsGramInv: Float64Array;
}

/** Beyond r = G the factors cost more than the dense matrices (auto's own threshold is in wild-stats.ts). */
const MAX_RANK_SHARE = 1;
/** The generalized inverse is O(r^3) in the preparation. */
const MAX_RANK = 512;
/** Bound on the demeaned non-nested dummies held at once (values). */
const MAX_DUMMY_VALUES = 20_000_000;

/** Generalized inverse of a PSD matrix by sweeping pivots in order; a pivot that fell below tol x its diagonal is collinear with earlier ones and gets a zero row and column. */
export function sweepInverse(S: Float64Array, r: number, tol = 1e-10): Float64Array {
  const A = Float64Array.from(S);
  const kept = new Array<boolean>(r).fill(false);
  for (let k = 0; k < r; k++) {
    const d = A[k * r + k]!;
    if (!(d > tol * S[k * r + k]!) || !(S[k * r + k]! > 0)) continue;
    kept[k] = true;
    for (let i = 0; i < r; i++) {
      if (i === k) continue;
      const f = A[i * r + k]! / d;
      if (f === 0) continue;
      for (let j = 0; j < r; j++) if (j !== k) A[i * r + j]! -= f * A[k * r + j]!;
    }
    for (let i = 0; i < r; i++) {
      if (i === k) continue;
      A[i * r + k] = A[i * r + k]! / d;
      A[k * r + i] = A[k * r + i]! / d;
    }
    A[k * r + k] = -1 / d;
  }
  // after sweeping the kept set K: A[K, K] = -(S[K, K])^-1
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) if (kept[i] && kept[j]) out[i * r + j] = -A[i * r + j]!;
  return out;
}

/** out (rows x G) = M (rows x rows) Z (rows x G), written at row offset `at` of out. */
function multiplyInto(out: Float64Array, at: number, M: Float64Array, Z: Float64Array, rows: number, G: number): void {
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < rows; k++) {
      const m = M[i * rows + k]!;
      if (m === 0) continue;
      for (let c = 0; c < G; c++) out[(at + i) * G + c]! += m * Z[k * G + c]!;
    }
  }
}

/** The factors, or null where the cross-cluster part is not of lower rank than G (or its dummies would take too much memory). */
export function lowRankFactors(p: LowRankInput): WildLowRank | null {
  const { n, xr, yr, cluster, G } = p;
  const loose = p.fe.filter((f) => !f.nested);
  const nested = p.fe.filter((f) => f.nested);
  const rE = loose.reduce((s, f) => s + f.size, 0);
  const kz = p.controls.length;
  const r = rE + kz;
  if (r > MAX_RANK_SHARE * G || r > MAX_RANK || rE * n > MAX_DUMMY_VALUES) return null;
  const ZX = new Float64Array(r * G);
  const ZY = new Float64Array(r * G);
  const offsets = loose.map((_, q) => loose.slice(0, q).reduce((s, f) => s + f.size, 0));
  for (let i = 0; i < n; i++) {
    const c = cluster[i]!;
    loose.forEach((f, q) => {
      const l = offsets[q]! + f.codes[i]!;
      ZX[l * G + c]! += xr[i]!;
      ZY[l * G + c]! += yr[i]!;
    });
    for (let k = 0; k < kz; k++) {
      const z = p.controls[k]![i]!;
      ZX[(rE + k) * G + c]! += z * xr[i]!;
      ZY[(rE + k) * G + c]! += z * yr[i]!;
    }
  }
  const Cy = new Float64Array(r * G);
  const Cx = new Float64Array(r * G);
  if (rE > 0) {
    // E' M_D E from the dummies demeaned by the nested FE: row l sums the demeaned columns over level l's rows
    const dummies = Array.from({ length: rE }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) loose.forEach((f, q) => (dummies[offsets[q]! + f.codes[i]!]![i] = 1));
    const tilde = nested.length ? demean({ columns: dummies, fe: nested.map((f) => f.codes) }).columns : dummies;
    const GE = new Float64Array(rE * rE);
    for (let i = 0; i < n; i++) {
      loose.forEach((f, q) => {
        const row = (offsets[q]! + f.codes[i]!) * rE;
        for (let m = 0; m < rE; m++) GE[row + m]! += tilde[m]![i]!;
      });
    }
    for (let a = 0; a < rE; a++) {
      for (let b = a + 1; b < rE; b++) {
        const s = (GE[a * rE + b]! + GE[b * rE + a]!) / 2;
        GE[a * rE + b] = s;
        GE[b * rE + a] = s;
      }
    }
    const GEinv = sweepInverse(GE, rE);
    multiplyInto(Cy, 0, GEinv, ZY, rE, G);
    multiplyInto(Cx, 0, GEinv, ZX, rE, G);
  }
  if (kz > 0) {
    // the controls are orthogonal to all FE dummies, so Z' M_D Z is block diagonal
    multiplyInto(Cy, rE, p.controlsGramInv, ZY.subarray(rE * G), kz, G);
    multiplyInto(Cx, rE, p.controlsGramInv, ZX.subarray(rE * G), kz, G);
  }
  return { r, ZX, Cy, Cx };
}
