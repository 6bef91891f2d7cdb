/**
 * The conditional moment-inequality test of Andrews, Roth & Pakes (2023) with nuisance
 * parameters, as HonestDiD uses it: test H0: exists delta with E[y] - X delta <= 0, given
 * y ~ N(mu, Sigma). Optionally the conditional-least-favourable hybrid (LF): reject outright when
 * the LP statistic exceeds the least-favourable critical value, otherwise test at the adjusted size.
 */
import { dot, inverse, matMul, matVec, quadForm, rank, subMatrix, transpose, type Mat } from './matrix.js';
import type { LpSolver, ReusableLp } from './lp.js';
import { truncatedNormalQuantile } from './truncated-normal.js';

/**
 * FLCI hybrid at one theta: the first stage rejects when |gap| = |u'beta - theta| exceeds the
 * level-kappa FLCI half-length; u is the FLCI's weight vector (in HonestDiD, A'vbar for the vbar that
 * best reproduces it from the moments; the FLCI weights satisfy the linear-trend constraint, so they
 * lie in the row space of A and A'vbar = u). uCov = A_R Sigma u over the moment rows used.
 */
export interface FlciHybrid {
  readonly kind: 'FLCI';
  readonly kappa: number;
  readonly halfLength: number;
  readonly gap: number;
  readonly uCov: readonly number[];
}
export type Hybrid = { readonly kind: 'ARP' } | { readonly kind: 'LF'; readonly kappa: number; readonly lfCv: number } | FlciHybrid;

/**
 * Truncation of the statistic gamma'y implied by having passed the FLCI first stage, with y written
 * as S + c (gamma'y), c = Sigma gamma / gamma'Sigma gamma: the two rows +-(u'beta - theta) <= H
 * become bounds on gamma'y (vbar'c = uCov'gamma / s2; the vbar'd terms cancel).
 */
function flciTruncation(h: FlciHybrid, gamma: readonly number[], s2: number, y: readonly number[]) {
  const vc = dot(h.uCov, gamma) / s2;
  const gy = dot(gamma, y);
  const rows = [
    { num: h.halfLength - h.gap + vc * gy, den: vc },
    { num: h.halfLength + h.gap - vc * gy, den: -vc },
  ];
  let vlo = -Infinity;
  let vup = Infinity;
  for (const r of rows) {
    if (r.den < 0) vlo = Math.max(vlo, r.num / r.den);
    else if (r.den > 0) vup = Math.min(vup, r.num / r.den);
  }
  return { vlo, vup };
}

export interface TestOutcome {
  readonly reject: boolean;
  /** The eta LP did not solve: the test does not reject (as in the R package) and the caller reports it. */
  readonly lpFailed: boolean;
}

const TOL_LAMBDA = 1e-6;
/** Relative width of the FLCI ends treated as outside (far below the 2/999 grid step). */
export const FLCI_EDGE = 1e-10;

/**
 * The LPs of one moment system (X, Sigma) kept alive across the theta grid: only the right-hand
 * side (eta LP) or the costs (dual LP) change between solves.
 */
export class ArpSystem {
  readonly sd: number[];
  private readonly etaModel: ReusableLp;
  private dualModel: ReusableLp | null = null;

  constructor(private readonly solver: LpSolver, readonly X: Mat, readonly sigma: Mat) {
    this.sd = sigma.map((row, i) => Math.sqrt(row[i]!));
    const k = X[0]?.length ?? 0;
    this.etaModel = solver.reusable({
      cost: [1, ...new Array<number>(k).fill(0)],
      rows: X.map((row, i) => [-this.sd[i]!, ...row.map((v) => -v)]),
      rowLower: X.map(() => -Infinity),
      rowUpper: X.map(() => 0),
    });
  }

  /** min eta s.t. y - X delta <= eta * sd; returns eta, and the duals lambda >= 0 (sum lambda_i sd_i = 1). */
  eta(y: readonly number[]) {
    const sol = this.etaModel.solve({ rowUpper: y.map((v) => -v) });
    return { ok: sol.status === 'optimal', eta: sol.x[0]!, lambda: Array.from(sol.rowDual, (v) => -v) };
  }

  /** max f'lambda s.t. [sd, X]'lambda = e1, lambda >= 0. */
  dual(f: readonly number[]) {
    if (!this.dualModel) {
      const Wt = transpose(this.X.map((row, i) => [this.sd[i]!, ...row]));
      const e1 = Wt.map((_, r) => (r === 0 ? 1 : 0));
      this.dualModel = this.solver.reusable({ cost: f, maximize: true, rows: Wt, rowLower: e1, rowUpper: e1, colLower: new Array<number>(this.X.length).fill(0) });
    }
    return this.dualModel.solve({ cost: f });
  }

  dispose(): void {
    this.etaModel.dispose();
    this.dualModel?.dispose();
  }
}

export function conditionalTest(sys: ArpSystem, y: readonly number[], alpha: number, hybrid: Hybrid): TestOutcome {
  const { X, sigma, sd } = sys;
  const M = y.length;
  const k = X[0]?.length ?? 0;
  const lin = sys.eta(y);
  if (!lin.ok) return { reject: false, lpFailed: true };
  let modSize = alpha;
  if (hybrid.kind === 'LF') {
    modSize = (alpha - hybrid.kappa) / (1 - hybrid.kappa);
    if (lin.eta > hybrid.lfCv) return { reject: true, lpFailed: false };
  } else if (hybrid.kind === 'FLCI') {
    modSize = (alpha - hybrid.kappa) / (1 - hybrid.kappa);
    // The ends of the FLCI (HonestDiD's default C-F grid ends) are rejected: there the FLCI rows pin
    // the conditioning interval to a point, and HonestDiD's rounding rejects them in the first stage.
    if (Math.abs(hybrid.gap) >= hybrid.halfLength * (1 - FLCI_EDGE)) return { reject: true, lpFailed: false };
  }
  const binding = lin.lambda.map((v) => v > TOL_LAMBDA);
  const nB = binding.filter(Boolean).length;
  const degenerate = nB !== k + 1;
  const B = binding.flatMap((b, i) => (b ? [i] : []));
  const Bc = binding.flatMap((b, i) => (b ? [] : [i]));
  const XB = B.map((i) => X[i]!);
  const xDim = Math.min(XB.length, k);
  const fullRank = xDim > 0 && rank(XB) === xDim;

  let vlo: number;
  let vup: number;
  let sigmaB: number;
  if (!fullRank || degenerate) {
    const gamma = lin.lambda;
    const s2 = quadForm(sigma, gamma);
    if (Math.abs(s2) < Number.EPSILON) return { reject: lin.eta > 0, lpFailed: false };
    if (s2 < 0) throw new Error('sensitivity: negative variance in the ARP dual step');
    const bounds = dualBounds(sys, lin.eta, y, gamma);
    vlo = bounds.vlo;
    vup = bounds.vup;
    sigmaB = Math.sqrt(s2);
    if (hybrid.kind === 'FLCI') {
      const f = flciTruncation(hybrid, gamma, s2, y);
      vlo = Math.max(vlo, f.vlo);
      vup = Math.min(vup, f.vup);
    }
  } else {
    // Non-degenerate vertex: the conditioning event is a set of linear inequalities in y.
    const WB = B.map((i) => [sd[i]!, ...X[i]!]);
    const WBinv = inverse(WB);
    // S_B selects rows B of y, so (W_B^-1 S_B) scatters W_B^-1's columns to positions B.
    const scatter = (row: readonly number[]): number[] => {
      const out = new Array<number>(M).fill(0);
      B.forEach((i, c) => {
        out[i] = row[c]!;
      });
      return out;
    };
    const vB = scatter(WBinv[0]!);
    const WBc = Bc.map((i) => [sd[i]!, ...X[i]!]);
    const GammaB = matMul(WBc, WBinv).map((row, r) => {
      const out = scatter(row);
      out[Bc[r]!] = out[Bc[r]!]! - 1;
      return out;
    });
    const s2 = quadForm(sigma, vB);
    sigmaB = Math.sqrt(s2);
    const sv = matVec(sigma, vB);
    const rho = GammaB.map((g) => dot(g, sv) / s2);
    const vy = dot(vB, y);
    const bound = GammaB.map((g, r) => -dot(g, y) / rho[r]! + vy);
    const pos = bound.filter((_, r) => rho[r]! > 0);
    const neg = bound.filter((_, r) => rho[r]! < 0);
    vlo = pos.length > 0 ? Math.max(...pos) : -Infinity;
    vup = neg.length > 0 ? Math.min(...neg) : Infinity;
    if (hybrid.kind === 'FLCI') {
      const f = flciTruncation(hybrid, vB, s2, y);
      vlo = Math.max(vlo, f.vlo);
      vup = Math.min(vup, f.vup);
    }
  }
  const zlo = vlo / sigmaB;
  const zup = (hybrid.kind === 'LF' ? Math.min(vup, hybrid.lfCv) : vup) / sigmaB;
  const maxstat = lin.eta / sigmaB;
  if (!(zlo <= maxstat && maxstat <= zup)) return { reject: false, lpFailed: false };
  const cval = Math.max(0, truncatedNormalQuantile(1 - modSize, zlo, zup));
  return { reject: maxstat > cval, lpFailed: false };
}

/**
 * Truncation bounds [vlo, vup] of eta at a degenerate vertex: the values c of the statistic at
 * which the dual LP max f(c)'lambda s.t. W'lambda = e1, lambda >= 0 still attains c
 * (found by HonestDiD's secant-then-bisection search, tolerances 1e-6).
 */
function dualBounds(sys: ArpSystem, eta: number, y: readonly number[], gamma: readonly number[]) {
  const { sigma } = sys;
  const tol = 1e-6;
  const c0 = quadForm(sigma, gamma);
  const b = matVec(sigma, gamma).map((v) => v / c0);
  const gy = dot(gamma, y);
  const sT = y.map((v, i) => v - b[i]! * gy);
  const sigmaB = Math.sqrt(c0);
  const maxProgram = (c: number) => {
    const f = sT.map((v, i) => v + b[i]! * c);
    const sol = sys.dual(f);
    const ok = sol.status === 'optimal' && Math.abs(c - sol.objective) <= tol;
    return { ok, lambda: sol.x };
  };
  const roundeps = (x: number) => (Math.abs(x) < Number.EPSILON ** 0.75 ? 0 : x);
  const secant = (lambda: Float64Array) => roundeps(dot(lambda, sT)) / (1 - dot(lambda, b));
  if (!maxProgram(eta).ok) return { vlo: eta, vup: Infinity };
  const maxIters = 10000;
  const switchIters = 10;
  const search = (start: number, upward: boolean): number => {
    let lp = maxProgram(start);
    if (lp.ok) return upward ? Infinity : -Infinity;
    let dif = 0;
    let iters = 1;
    let mid = secant(lp.lambda);
    while (!(lp = maxProgram(mid)).ok && iters < maxIters) {
      iters++;
      if (iters >= switchIters) {
        dif = tol + 1;
        break;
      }
      mid = secant(lp.lambda);
    }
    // Bisection between eta (accepted) and the secant point.
    let inside = eta;
    let outside = mid;
    while (dif > tol && iters < maxIters) {
      iters++;
      mid = (inside + outside) / 2;
      if (maxProgram(mid).ok) inside = mid;
      else outside = mid;
      dif = Math.abs(outside - inside);
    }
    return mid;
  };
  const vup = search(Math.max(100, eta + 20 * sigmaB), true);
  const vlo = search(Math.min(-100, eta - 20 * sigmaB), false);
  return { vlo, vup };
}
