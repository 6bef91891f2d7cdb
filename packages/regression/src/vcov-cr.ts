/**
 * Bias-reduced cluster-robust variances as clubSandwich (Pustejovsky & Tipton 2018), for
 * unweighted OLS with or without absorbed fixed effects (weighted fits without absorbed FE:
 * vcov-cr-weighted.ts):
 *
 * - CR2 (Bell-McCaffrey): V = B Σ_g X̃_g' A_g e_g e_g' A_g X̃_g B with
 *   A_g = (I - H_gg)^(-1/2) (symmetric power, eigenvalues <= 1e-12 sent to 0), H the hat matrix
 *   of the FULL model (regressors and FE dummies), i.e. H = X̃ B X̃' + P_FE. This is what
 *   clubSandwich gives for lm() with dummies and for plm within (it augments the within design
 *   with the FE dummies); the two agree.
 * - CR3: A_g = (I - X̃_g B X̃_g')^(-1), the hat matrix of the within design only: clubSandwich's
 *   plm value (with lm dummies and clusters containing whole FE levels, I - H_gg is singular and
 *   clubSandwich stops). V = Σ_g (β̂ - β̂_(-g))(β̂ - β̂_(-g))' for leave-one-cluster-out fits of
 *   the demeaned regression.
 * - Satterthwaite df per coefficient (coef_test), working model Θ = I: with
 *   v_g = A_g X̃_g B c, P_gh = δ_gh v_g'v_g - v_g' (H)_gh v_h, df = (tr P)² / ||P||²_F.
 *
 * The FE projection is never formed as an n x n matrix: one FE nested in the clusters
 * contributes block-diagonal level means; the other FE dummies, residualised on it, are
 * projected through the pseudo-inverse of their (small) Gram matrix, giving n rows z_i with
 * P_rest = Z Z'.
 */
import { choleskyPivoted, matMul, matVec } from './linalg.js';
import { cr3Adjustment } from './vcov-cr3.js';
import { sandwich } from './vcov-kernels.js';
import { groupRows, levelCount } from './row-groups.js';
import { symmetricPower } from './sym-eigen.js';
import type { VcovRaw } from './vcov-raw.js';
import { nestedIn } from './nesting.js';
import { crWeighted } from './vcov-cr-weighted.js';

interface CrArgs {
  readonly bread: Float64Array;
  readonly cluster: Int32Array;
  readonly x: readonly Float64Array[];
  readonly resid: Float64Array;
  readonly weights: Float64Array | null;
  readonly fe: readonly Int32Array[];
  readonly feSizes: readonly number[];
}

/** Largest cluster CR2 forms its n_g x n_g block for. */
const MAX_CLUSTER_ROWS = 6000;
/** Largest FE-projection size (rows x columns of Z). */
const MAX_Z_ENTRIES = 5e7;

export function vcovCR2(args: CrArgs): VcovRaw {
  return crVcov(args, 'CR2');
}

export function vcovCR3(args: CrArgs): VcovRaw {
  return crVcov(args, 'CR3');
}

/** The FE part of the hat matrix: P_FE = P_N + Z Z' (P_N block-diagonal within clusters). */
export interface FeProjection {
  /** Codes of the FE nested in the clusters (or null) and its level counts. */
  readonly nested: Int32Array | null;
  readonly nestedCount: Float64Array;
  /** n x r row-major. */
  readonly z: Float64Array;
  readonly r: number;
}

/**
 * With weights w: the projection on √w·D (the weighted FE hat matrix in √w-scaled coordinates):
 * nestedCount holds weight sums, P_N(i, j) = √(w_i w_j) / W_level, and z rows carry the √w_i factor.
 */
export function feProjection(fe: readonly Int32Array[], feSizes: readonly number[], cluster: Int32Array, w: Float64Array | null = null): FeProjection {
  const n = cluster.length;
  let nq = -1;
  fe.forEach((codes, q) => {
    if (nestedIn(codes, feSizes[q]!, cluster) && (nq < 0 || feSizes[q]! > feSizes[nq]!)) nq = q;
  });
  const nested = nq >= 0 ? fe[nq]! : null;
  const nestedCount = new Float64Array(nested ? feSizes[nq]! : 0);
  if (nested) for (let i = 0; i < n; i++) nestedCount[nested[i]!]! += w ? w[i]! : 1;
  const others = fe.map((_, q) => q).filter((q) => q !== nq);
  if (others.length === 0) return { nested, nestedCount, z: new Float64Array(0), r: 0 };
  const offset: number[] = [];
  let p = 0;
  for (const q of others) {
    offset.push(p);
    p += feSizes[q]!;
  }
  // Gram of the other FE dummies residualised on the nested FE: O'O - Σ_levels c c' / n_level
  const gram = new Float64Array(p * p);
  const cols = new Int32Array(others.length);
  for (let i = 0; i < n; i++) {
    others.forEach((q, a) => (cols[a] = offset[a]! + fe[q]![i]!));
    const wi = w ? w[i]! : 1;
    for (const ca of cols) for (const cb of cols) gram[ca * p + cb]! += wi;
  }
  let levelShares: Map<number, number>[] = [];
  if (nested) {
    levelShares = Array.from({ length: nestedCount.length }, () => new Map<number, number>());
    for (let i = 0; i < n; i++) {
      const m = levelShares[nested[i]!]!;
      others.forEach((q, a) => {
        const c = offset[a]! + fe[q]![i]!;
        m.set(c, (m.get(c) ?? 0) + (w ? w[i]! : 1));
      });
    }
    levelShares.forEach((m, lev) => {
      const nl = nestedCount[lev]!;
      const entries = [...m.entries()];
      for (const [ca, va] of entries) for (const [cb, vb] of entries) gram[ca * p + cb]! -= (va * vb) / nl;
      for (const [c, v] of entries) m.set(c, v / nl); // now shares
    });
  }
  const chol = choleskyPivoted(gram, p, 1e-9);
  const r = chol.kept.length;
  if (n * r > MAX_Z_ENTRIES) throw new Error(`vcov CR2/CR3: the fixed effects not nested in the clusters have too many levels (${r}) for the bias-reduced adjustment`);
  const pos = new Int32Array(p).fill(-1);
  chol.kept.forEach((c, j) => (pos[c] = j));
  // L^{-1} by forward substitution, column by column (row-major r x r)
  const L = chol.factor;
  const Linv = new Float64Array(r * r);
  for (let c = 0; c < r; c++) {
    for (let i = c; i < r; i++) {
      let s = i === c ? 1 : 0;
      for (let m = c; m < i; m++) s -= L[i * r + m]! * Linv[m * r + c]!;
      Linv[i * r + c] = s / L[i * r + i]!;
    }
  }
  const sub: Float64Array[] = levelShares.map((m) => {
    const v = new Float64Array(r);
    for (const [c, share] of m) {
      const j = pos[c]!;
      if (j < 0) continue;
      for (let i = 0; i < r; i++) v[i]! += Linv[i * r + j]! * share;
    }
    return v;
  });
  const z = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    const base = i * r;
    others.forEach((q, a) => {
      const j = pos[offset[a]! + fe[q]![i]!]!;
      if (j < 0) return;
      for (let t = j; t < r; t++) z[base + t]! += Linv[t * r + j]!;
    });
    if (nested) {
      const v = sub[nested[i]!]!;
      for (let t = 0; t < r; t++) z[base + t]! -= v[t]!;
    }
    if (w) {
      const sw = Math.sqrt(w[i]!);
      for (let t = 0; t < r; t++) z[base + t]! *= sw;
    }
  }
  return { nested, nestedCount, z, r };
}

function crVcov(args: CrArgs, type: 'CR2' | 'CR3'): VcovRaw {
  const { bread: B, cluster, x, resid: e } = args;
  if (args.weights) {
    // clubSandwich has no absorbed-FE weighted model to match (its weighted reference is lm with dummies)
    // weighted CR2 with absorbed FE is vcov-cr-weighted-fe.ts (the registry routes it there)
    if (args.fe.length > 0) throw new Error(`vcov ${type}: weighted fits with absorbed fixed effects are supported for CR2 only (clubSandwich's lm with FE dummies is singular for CR3 when clusters hold whole FE levels); enter the fixed effects as dummies in the formula (i(var)) or use 'CR2' or 'cluster'`);
    return crWeighted({ ...args, weights: args.weights }, type);
  }
  const k = x.length;
  const n = e.length;
  const G = levelCount(cluster);
  if (G < 2) throw new Error(`vcov ${type}: needs at least two clusters`);
  const groups = groupRows(cluster, G);
  const proj = feProjection(args.fe, args.feSizes, cluster);
  const { r, z, nested, nestedCount } = proj;
  const cholB = choleskyPivoted(B, k, 1e-14);
  if (cholB.kept.length !== k) throw new Error(`vcov ${type}: the bread is not positive definite`);
  const LB = cholB.factor;

  const meat = new Float64Array(k * k);
  // Satterthwaite pieces per coefficient j: d_g and ζ_g = [L_B' X̃_g' v_g ; Z_g' v_g]
  const width = k + r;
  const d = Array.from({ length: k }, () => new Float64Array(G));
  const zeta = Array.from({ length: k }, () => new Float64Array(G * width));

  for (let g = 0; g < G; g++) {
    const s0 = groups.start[g]!;
    const m = groups.start[g + 1]! - s0;
    const R = groups.rows.subarray(s0, s0 + m);
    // X̃_g (m x k row-major) and X̃_g B (m x k)
    const Xg = new Float64Array(m * k);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) Xg[a * k + j] = x[j]![R[a]!]!;
    const XB = matMul(Xg, B, m, k);
    // apply: y -> A_g y for the columns we need
    let applyA: (y: Float64Array) => Float64Array;
    if (type === 'CR2') {
      if (m > MAX_CLUSTER_ROWS) throw new Error(`vcov CR2: cluster ${g} has ${m} rows; the adjustment forms an n_g x n_g matrix (limit ${MAX_CLUSTER_ROWS})`);
      const IH = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        const ia = R[a]!;
        for (let b = 0; b <= a; b++) {
          const ib = R[b]!;
          let h = 0;
          for (let t = 0; t < k; t++) h += XB[a * k + t]! * Xg[b * k + t]!;
          for (let t = 0; t < r; t++) h += z[ia * r + t]! * z[ib * r + t]!;
          if (nested && nested[ia] === nested[ib]) h += 1 / nestedCount[nested[ia]!]!;
          const v = (a === b ? 1 : 0) - h;
          IH[a * m + b] = v;
          IH[b * m + a] = v;
        }
      }
      const A = symmetricPower(IH, m, -0.5);
      applyA = (y) => matVec(A, m, y);
    } else {
      applyA = cr3Adjustment(Xg, XB, m, k, g, null).apply;
    }
    const eg = Float64Array.from(R, (i) => e[i]!);
    const ae = applyA(eg);
    const u = new Float64Array(k);
    for (let a = 0; a < m; a++) for (let j = 0; j < k; j++) u[j]! += Xg[a * k + j]! * ae[a]!;
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) meat[i * k + j]! += u[i]! * u[j]!;

    for (let j = 0; j < k; j++) {
      const col = Float64Array.from({ length: m }, (_, a) => XB[a * k + j]!);
      const v = applyA(col);
      let vv = 0;
      for (let a = 0; a < m; a++) vv += v[a]! * v[a]!;
      if (nested) {
        const sums = new Map<number, number>();
        for (let a = 0; a < m; a++) {
          const lev = nested[R[a]!]!;
          sums.set(lev, (sums.get(lev) ?? 0) + v[a]!);
        }
        for (const [lev, s] of sums) vv -= (s * s) / nestedCount[lev]!;
      }
      d[j]![g] = vv;
      const xv = new Float64Array(k);
      for (let a = 0; a < m; a++) for (let t = 0; t < k; t++) xv[t]! += Xg[a * k + t]! * v[a]!;
      const zrow = zeta[j]!;
      const base = g * width;
      // L_B' xv
      for (let t = 0; t < k; t++) {
        let s = 0;
        for (let q = t; q < k; q++) s += LB[q * k + t]! * xv[q]!;
        zrow[base + t] = s;
      }
      for (let a = 0; a < m; a++) {
        const ia = R[a]!;
        const va = v[a]!;
        for (let t = 0; t < r; t++) zrow[base + k + t]! += z[ia * r + t]! * va;
      }
    }
  }
  const vcov = sandwich(B, meat, k);
  const dfCoef = d.map((dj, j) => satterthwaite(dj, zeta[j]!, G, width));
  void n;
  return { vcov, nClusters: [G], gMin: G, tDf: G - 1, dfCoef };
}

/** df = (tr P)² / ||P||²_F for P = diag(d) - Ζ Ζ' (G x G, Ζ rows of `width`). */
function satterthwaite(d: Float64Array, Z: Float64Array, G: number, width: number): number {
  let tr = 0;
  let fro = 0;
  const ztz = new Float64Array(width * width);
  for (let g = 0; g < G; g++) {
    let zz = 0;
    const base = g * width;
    for (let t = 0; t < width; t++) zz += Z[base + t]! * Z[base + t]!;
    tr += d[g]! - zz;
    fro += d[g]! * d[g]! - 2 * d[g]! * zz;
    for (let a = 0; a < width; a++) {
      const za = Z[base + a]!;
      if (za === 0) continue;
      for (let b = 0; b < width; b++) ztz[a * width + b]! += za * Z[base + b]!;
    }
  }
  for (let m = 0; m < width * width; m++) fro += ztz[m]! * ztz[m]!;
  return (tr * tr) / fro;
}
