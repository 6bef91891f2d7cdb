/**
 * CR2 / CR3 for weighted least squares without absorbed fixed effects, as clubSandwich's
 * vcovCR on a weighted lm (working model Θ = I, i.e. its default inverse_var = FALSE when the fit
 * has weights): with B = (X'WX)^-1, H = X B X' W (not symmetric),
 *
 * - CR2: A_g = G_g^(-1/2), G_g = [(I - H)(I - H)']_gg = I - H_gg - H_gg' + X_g B (X'W²X) B X_g'
 * - CR3: A_g = (I - H_gg)^(-1) (Woodbury through k x k)
 * - V = B Σ_g X_g' W_g A_g e_g e_g' A_g W_g X_g B
 * - Satterthwaite df per coefficient c (coef_test): with v_g = A_g W_g X_g B c,
 *   (v_g = A_g' W_g X_g B c for CR3, whose A_g is not symmetric), P_gh = v_g' [(I - H)(I - H)']_gh v_h = δ_gh v_g'v_g - a_g'B b_h - b_g'B a_h + a_g' B (X'W²X) B a_h,
 *   a_g = X_g'v_g, b_g = X_g'W_g v_g; df = (tr P)² / ||P||²_F, P = diag(d) + Y C Y' (rank 2k).
 * With unit weights these are the unweighted rules of vcov-cr.ts.
 */
import { matMul, matVec } from './linalg.js';
import { cr3Adjustment } from './vcov-cr3.js';
import { groupRows, levelCount } from './row-groups.js';
import { symmetricPower } from './sym-eigen.js';
import { sandwich } from './vcov-kernels.js';
import type { VcovRaw } from './vcov-raw.js';

const MAX_CLUSTER_ROWS = 6000;

export function crWeighted(args: { bread: Float64Array; cluster: Int32Array; x: readonly Float64Array[]; resid: Float64Array; weights: Float64Array }, type: 'CR2' | 'CR3'): VcovRaw {
  const { bread: B, cluster, x, resid: e, weights: w } = args;
  const k = x.length;
  const n = e.length;
  const G = levelCount(cluster);
  if (G < 2) throw new Error(`vcov ${type}: needs at least two clusters`);
  for (let i = 0; i < n; i++) if (!(w[i]! > 0)) throw new Error(`vcov ${type}: weights must be positive (row ${i} has ${w[i]})`);
  // X'W²X (k x k)
  const S2 = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += x[a]![i]! * x[b]![i]! * w[i]! * w[i]!;
    S2[a * k + b] = S2[b * k + a] = s2;
  }
  const BS2B = sandwich(B, S2, k);
  const { start, rows } = groupRows(cluster, G);

  const meat = new Float64Array(k * k);
  const d = Array.from({ length: k }, () => new Float64Array(G));
  const Y = Array.from({ length: k }, () => new Float64Array(G * 2 * k));
  for (let g = 0; g < G; g++) {
    const R = rows.subarray(start[g]!, start[g + 1]!);
    const m = R.length;
    const Xg = new Float64Array(m * k);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) Xg[a * k + j] = x[j]![R[a]!]!;
    const XB = matMul(Xg, B, m, k);
    const wg = Float64Array.from(R, (i) => w[i]!);
    let applyA: (y: Float64Array) => Float64Array;
    // A_g' (CR3's A_g is not symmetric when weighted)
    let applyAT: (y: Float64Array) => Float64Array;
    if (type === 'CR2') {
      if (m > MAX_CLUSTER_ROWS) throw new Error(`vcov CR2: cluster ${g} has ${m} rows; the adjustment forms an n_g x n_g matrix (limit ${MAX_CLUSTER_ROWS})`);
      const XBS = matMul(Xg, BS2B, m, k);
      const Gg = new Float64Array(m * m);
      for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) {
        let h = 0; // (X B X')_ab
        let q = 0; // (X B S2 B X')_ab
        for (let t = 0; t < k; t++) {
          h += XB[a * k + t]! * Xg[b * k + t]!;
          q += XBS[a * k + t]! * Xg[b * k + t]!;
        }
        const v = (a === b ? 1 : 0) - h * wg[b]! - h * wg[a]! + q;
        Gg[a * m + b] = Gg[b * m + a] = v;
      }
      const A = symmetricPower(Gg, m, -0.5);
      applyA = (y) => matVec(A, m, y);
      applyAT = applyA;
    } else {
      const cr3 = cr3Adjustment(Xg, XB, m, k, g, wg);
      applyA = cr3.apply;
      applyAT = cr3.applyTransposed;
    }
    const ae = applyA(Float64Array.from(R, (i) => e[i]!));
    const u = new Float64Array(k);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) u[j]! += Xg[a * k + j]! * wg[a]! * ae[a]!;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) meat[i * k + j]! += u[i]! * u[j]!;
    // Satterthwaite pieces: v = A_g' W_g X_g B c_j
    for (let j = 0; j < k; j++) {
      const v = applyAT(Float64Array.from({ length: m }, (_, a) => wg[a]! * XB[a * k + j]!));
      let vv = 0;
      for (let a = 0; a < m; a++) vv += v[a]! * v[a]!;
      d[j]![g] = vv;
      const base = g * 2 * k;
      const yr = Y[j]!;
      for (let a = 0; a < m; a++) for (let t = 0; t < k; t++) {
        yr[base + t]! += Xg[a * k + t]! * v[a]!;
        yr[base + k + t]! += Xg[a * k + t]! * wg[a]! * v[a]!;
      }
    }
  }
  // C = [[B X'W²X B, -B], [-B, 0]] (2k x 2k) on Y_g = [a_g; b_g]
  const C = new Float64Array(4 * k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    C[i * 2 * k + j] = BS2B[i * k + j]!;
    C[i * 2 * k + (k + j)] = -B[i * k + j]!;
    C[(k + i) * 2 * k + j] = -B[i * k + j]!;
  }
  const dfCoef = d.map((dj, j) => lowRankSatterthwaite(dj, Y[j]!, C, G, 2 * k));
  return { vcov: sandwich(B, meat, k), nClusters: [G], gMin: G, tDf: G - 1, dfCoef };
}

/** (tr P)² / ||P||²_F for P = diag(d) + Y C Y' (Y: G rows of width p, C symmetric p x p). */
export function lowRankSatterthwaite(d: Float64Array, Y: Float64Array, C: Float64Array, G: number, p: number): number {
  let tr = 0;
  let fro = 0;
  const T = new Float64Array(p * p);
  for (let g = 0; g < G; g++) {
    const y = Y.subarray(g * p, (g + 1) * p);
    let q = 0;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += C[a * p + b]! * y[b]!;
      q += y[a]! * s;
      for (let b = 0; b < p; b++) T[a * p + b]! += y[a]! * y[b]!;
    }
    tr += d[g]! + q;
    fro += d[g]! * d[g]! + 2 * d[g]! * q;
  }
  // ||Y C Y'||² = tr((C T)²)
  const CT = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let s = 0;
    for (let c = 0; c < p; c++) s += C[a * p + c]! * T[c * p + b]!;
    CT[a * p + b] = s;
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) fro += CT[a * p + b]! * CT[b * p + a]!;
  return (tr * tr) / fro;
}
