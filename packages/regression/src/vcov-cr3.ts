/**
 * CR3's adjustment A_g = (I - H_gg)^-1 without forming the n_g x n_g matrix (Woodbury through k x k),
 * for H_gg = X_g B X_g' W_g (unweighted: W_g = I), X_g row-major m x k and XB = X_g B:
 *
 *   A_g y  = (I - X B X' W)^-1 y = y + X (I - B X'WX)^-1 B X'W y
 *   A_g' y = (I - W X B X')^-1 y = y + W X (I - B X'WX)^-1 B X' y   (= A_g y when unweighted)
 */
import { invertGeneral } from './linalg.js';

export interface Cr3Adjustment {
  apply(y: Float64Array): Float64Array;
  applyTransposed(y: Float64Array): Float64Array;
}

export function cr3Adjustment(Xg: Float64Array, XB: Float64Array, m: number, k: number, g: number, wg: Float64Array | null): Cr3Adjustment {
  const M = new Float64Array(k * k); // I - B X'WX: (B X'WX)_ij = Σ_a (X B)_ai w_a X_aj
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let s = 0;
    if (wg) for (let a = 0; a < m; a++) s += XB[a * k + i]! * wg[a]! * Xg[a * k + j]!;
    else for (let a = 0; a < m; a++) s += XB[a * k + i]! * Xg[a * k + j]!;
    M[i * k + j] = (i === j ? 1 : 0) - s;
  }
  const Minv = invertGeneral(M, k);
  if (!Minv) throw new Error(`vcov CR3: I - H_gg is singular for cluster ${g} (a cluster on its own identifies a coefficient)`);
  /** Minv B X' (W) y: the k-vector both products share. */
  const inner = (y: Float64Array, weighted: boolean): Float64Array => {
    const bxy = new Float64Array(k);
    if (weighted && wg) for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) bxy[j]! += XB[a * k + j]! * wg[a]! * y[a]!;
    else for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) bxy[j]! += XB[a * k + j]! * y[a]!;
    const c = new Float64Array(k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[i]! += Minv[i * k + j]! * bxy[j]!;
    return c;
  };
  const apply = (y: Float64Array): Float64Array => {
    const c = inner(y, true);
    const out = Float64Array.from(y);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) out[a]! += Xg[a * k + j]! * c[j]!;
    return out;
  };
  if (!wg) return { apply, applyTransposed: apply };
  const applyTransposed = (y: Float64Array): Float64Array => {
    const c = inner(y, false);
    const out = Float64Array.from(y);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) out[a]! += wg[a]! * Xg[a * k + j]! * c[j]!;
    return out;
  };
  return { apply, applyTransposed };
}
