/**
 * Weighted CR2 with absorbed fixed effects, as clubSandwich's vcovCR(type = 'CR2') on a weighted
 * lm with the FE as dummies (target Θ = I). In √w-scaled coordinates the full hat matrix is
 * H* = F F' + N (F_i = [L_B' √w_i x̃_i ; z_i], B = L_B L_B', z from the weighted FE projection,
 * N the FE nested in the clusters), symmetric and idempotent; clubSandwich's H = W^-1/2 H* W^1/2, so
 *
 *   G_g = [(I - H)(I - H)']_gg = W_g^-1/2 M_gg W_g^-1/2,  M = (I - H*) W (I - H*)
 *   (H* W H*)_ab = F_a'Φ F_b + F_a'ψ_b + ψ_a'F_b + (N W N)_ab,  Φ = Σ_i w_i F_i F_i',
 *   ψ_b = √w_b Ψ_l / W_l with Ψ_l = Σ_{i in level l} w_i^1.5 F_i (l the nested level of b).
 *
 * A_g = G_g^-1/2, V = B Σ_g X̃_g'W_g A_g e_g e_g' A_g W_g X̃_g B. Satterthwaite: with
 * ṽ_g = W_g^-1/2 A_g W_g X̃_g B c, P_gh = ṽ_g' M_gh ṽ_h is diag + rank 3p across clusters
 * (α = F'ṽ, β = F'Wṽ, γ = Σ ψ_b ṽ_b). With unit weights this is the unweighted CR2 of vcov-cr.ts.
 */
import { choleskyPivoted } from './linalg.js';
import { groupRows, levelCount } from './row-groups.js';
import { symmetricPower } from './sym-eigen.js';
import { feProjection } from './vcov-cr.js';
import { lowRankSatterthwaite } from './vcov-cr-weighted.js';
import { sandwich } from './vcov-kernels.js';
import type { VcovRaw } from './vcov-raw.js';

const MAX_CLUSTER_ROWS = 6000;

export function cr2WeightedFe(args: {
  bread: Float64Array;
  cluster: Int32Array;
  x: readonly Float64Array[];
  resid: Float64Array;
  weights: Float64Array;
  fe: readonly Int32Array[];
  feSizes: readonly number[];
}): VcovRaw {
  const { bread: B, cluster, x, resid: e, weights: w } = args;
  const k = x.length;
  const n = e.length;
  const G = levelCount(cluster);
  if (G < 2) throw new Error('vcov CR2: needs at least two clusters');
  for (let i = 0; i < n; i++) if (!(w[i]! > 0)) throw new Error(`vcov CR2: weights must be positive (row ${i} has ${w[i]})`);
  const { z, r, nested, nestedCount } = feProjection(args.fe, args.feSizes, cluster, w);
  const chol = choleskyPivoted(B, k, 1e-14);
  if (chol.kept.length !== k) throw new Error('vcov CR2: the bread is not positive definite');
  const L = chol.factor;
  const p = k + r;
  // F (n x p row-major)
  const F = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const sw = Math.sqrt(w[i]!);
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let q = t; q < k; q++) s += L[q * k + t]! * x[q]![i]!;
      F[i * p + t] = s * sw;
    }
    for (let t = 0; t < r; t++) F[i * p + k + t] = z[i * r + t]!;
  }
  const Phi = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    for (let a = 0; a < p; a++) {
      const fa = F[i * p + a]! * wi;
      if (fa === 0) continue;
      for (let b = 0; b < p; b++) Phi[a * p + b]! += fa * F[i * p + b]!;
    }
  }
  // per nested level: Ψ_l / W_l and Σ w_i² / W_l²
  const nLev = nestedCount.length;
  const Psi = new Float64Array(nLev * p);
  const nwn = new Float64Array(nLev);
  if (nested) {
    for (let i = 0; i < n; i++) {
      const l = nested[i]!;
      const c = w[i]! ** 1.5;
      for (let a = 0; a < p; a++) Psi[l * p + a]! += c * F[i * p + a]!;
      nwn[l]! += w[i]! * w[i]!;
    }
    for (let l = 0; l < nLev; l++) {
      const W = nestedCount[l]!;
      for (let a = 0; a < p; a++) Psi[l * p + a]! /= W;
      nwn[l]! /= W * W;
    }
  }
  const psi = (i: number, out: Float64Array) => {
    if (!nested) return out.fill(0);
    const l = nested[i]!;
    const sw = Math.sqrt(w[i]!);
    for (let a = 0; a < p; a++) out[a] = sw * Psi[l * p + a]!;
    return out;
  };

  const { start, rows } = groupRows(cluster, G);

  const meat = new Float64Array(k * k);
  const width = 3 * p;
  const dHat = Array.from({ length: k }, () => new Float64Array(G));
  const Y = Array.from({ length: k }, () => new Float64Array(G * width));
  const C = new Float64Array(width * width);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) C[a * width + b] = Phi[a * p + b]!;
    C[a * width + p + a] = -1;
    C[(p + a) * width + a] = -1;
    C[a * width + 2 * p + a] = 1;
    C[(2 * p + a) * width + a] = 1;
  }
  const tmpA = new Float64Array(p);
  const tmpB = new Float64Array(p);
  for (let g = 0; g < G; g++) {
    const R = rows.subarray(start[g]!, start[g + 1]!);
    const m = R.length;
    if (m > MAX_CLUSTER_ROWS) throw new Error(`vcov CR2: cluster ${g} has ${m} rows; the adjustment forms an n_g x n_g matrix (limit ${MAX_CLUSTER_ROWS})`);
    // F_g Φ (m x p) and ψ rows (m x p)
    const FPhi = new Float64Array(m * p);
    const Pg = new Float64Array(m * p);
    for (let a = 0; a < m; a++) {
      const i = R[a]!;
      for (let c = 0; c < p; c++) {
        let s = 0;
        for (let t = 0; t < p; t++) s += F[i * p + t]! * Phi[t * p + c]!;
        FPhi[a * p + c] = s;
      }
      Pg.set(psi(i, tmpA), a * p);
    }
    const Gg = new Float64Array(m * m);
    for (let a = 0; a < m; a++) {
      const i = R[a]!;
      for (let b = 0; b <= a; b++) {
        const j = R[b]!;
        let h = 0; // H*_ab
        let q = 0; // (H* W H*)_ab
        for (let t = 0; t < p; t++) {
          const fa = F[i * p + t]!;
          const fb = F[j * p + t]!;
          h += fa * fb;
          q += FPhi[a * p + t]! * fb + fa * Pg[b * p + t]! + Pg[a * p + t]! * fb;
        }
        if (nested && nested[i] === nested[j]) {
          const lev = nested[i]!;
          const sw = Math.sqrt(w[i]! * w[j]!);
          h += sw / nestedCount[lev]!;
          q += sw * nwn[lev]!;
        }
        // M_ab = δ w_a - h w_b - w_a h + q, then G = W^-1/2 M W^-1/2
        const M = (a === b ? w[i]! : 0) - h * (w[i]! + w[j]!) + q;
        const v = M / Math.sqrt(w[i]! * w[j]!);
        Gg[a * m + b] = Gg[b * m + a] = v;
      }
    }
    const A = symmetricPower(Gg, m, -0.5);
    const mulA = (y: Float64Array, mat: Float64Array) => {
      const out = new Float64Array(m);
      for (let a = 0; a < m; a++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += mat[a * m + b]! * y[b]!;
        out[a] = s;
      }
      return out;
    };
    const ae = mulA(Float64Array.from(R, (i) => e[i]!), A);
    const u = new Float64Array(k);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) u[j]! += x[j]![R[a]!]! * w[R[a]!]! * ae[a]!;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) meat[i * k + j]! += u[i]! * u[j]!;

    for (let j = 0; j < k; j++) {
      // v = A_g W_g X̃_g B c_j
      const wxb = Float64Array.from(R, (i) => {
        let s = 0;
        for (let t = 0; t < k; t++) s += x[t]![i]! * B[t * k + j]!;
        return w[i]! * s;
      });
      const v = mulA(wxb, A);
      const Gv = mulA(v, Gg);
      let vGv = 0;
      for (let a = 0; a < m; a++) vGv += v[a]! * Gv[a]!;
      const yr = Y[j]!.subarray(g * width, (g + 1) * width);
      for (let a = 0; a < m; a++) {
        const i = R[a]!;
        const vt = v[a]! / Math.sqrt(w[i]!);
        psi(i, tmpB);
        for (let t = 0; t < p; t++) {
          yr[t]! += F[i * p + t]! * vt;
          yr[p + t]! += F[i * p + t]! * w[i]! * vt;
          yr[2 * p + t]! += tmpB[t]! * vt;
        }
      }
      let q = 0;
      for (let a = 0; a < width; a++) {
        let s = 0;
        for (let b = 0; b < width; b++) s += C[a * width + b]! * yr[b]!;
        q += yr[a]! * s;
      }
      dHat[j]![g] = vGv - q;
    }
  }
  const dfCoef = dHat.map((d, j) => lowRankSatterthwaite(d, Y[j]!, C, G, width));
  return { vcov: sandwich(B, meat, k), nClusters: [G], gMin: G, tDf: G - 1, dfCoef };
}
