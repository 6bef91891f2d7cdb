/**
 * Gardner's two-stage estimator over plain arrays, with the GMM-corrected cluster variance of
 * did2s. Used by did2s (treated = D) and by the spatial estimator (first stage on rows that are
 * neither treated nor exposed).
 */
import { choleskyInverse, choleskyPivoted } from '@panel-lab/regression';
import { SubsampleFe, usableRows } from './subsample-fe.js';

export interface TwoStageInput {
  /** Outcome, all rows (NaN = missing). */
  readonly y: Float64Array;
  /** First-stage fixed effects: dense codes per dimension and their sizes. */
  readonly fe: readonly Int32Array[];
  readonly feNames: readonly string[];
  readonly sizes: readonly number[];
  /** First-stage controls (all rows). */
  readonly controls: readonly Float64Array[];
  readonly controlNames: readonly string[];
  /** Rows allowed into the first stage (untreated / clean), before missing values are removed. */
  readonly firstStage: Uint8Array;
  /** Second-stage regressors (all rows) and their names. */
  readonly x2: readonly Float64Array[];
  readonly x2Names: readonly string[];
  readonly cluster: Int32Array;
  readonly nClusters: number;
}

export interface TwoStageDrops {
  /** Rows with a missing outcome or control. */
  readonly missing: number;
  /** Rows whose unit or period has no first-stage observation (their counterfactual is not identified). */
  readonly notIdentified: number;
}

export interface TwoStageOutput {
  readonly names: readonly string[];
  readonly coef: Float64Array;
  /** k x k row-major GMM cluster vcov (no small-sample factor, as did2s). */
  readonly vcov: Float64Array;
  /** Second-stage regressors dropped as collinear or empty. */
  readonly collinear: readonly string[];
  readonly nobs: number;
  readonly nFirstStage: number;
  readonly nClustersUsed: number;
  readonly drops: TwoStageDrops;
  /** Residualised outcome ỹ (NaN on dropped rows). */
  readonly yTilde: Float64Array;
  /** Rows used in the second stage. */
  readonly used: Uint8Array;
  readonly firstStageControls: Readonly<Record<string, number>>;
  readonly iterations: number;
  readonly converged: boolean;
  readonly solver: SubsampleFe;
}

export function twoStage(inp: TwoStageInput): TwoStageOutput {
  const n = inp.y.length;
  const usable = usableRows(inp.y, inp.controls);
  const missing = usable.reduce((s, v) => s + (v ? 0 : 1), 0);
  const s = new Uint8Array(n);
  let nS = 0;
  for (let r = 0; r < n; r++) if (usable[r] && inp.firstStage[r]) (s[r] = 1), nS++;
  if (nS === 0) throw new Error('two-stage DID: no first-stage observation (every row is treated, exposed or missing)');
  const solver = new SubsampleFe(inp.fe, inp.sizes, s, inp.controls);
  const fit1 = solver.fitOn(inp.y);

  const { used, resid: yTilde, notIdentified, nobs } = solver.residuals(fit1, inp.y, usable, Number.NaN);

  // second stage: OLS of ỹ on X2 without intercept, over used rows
  const k0 = inp.x2.length;
  const xtx = new Float64Array(k0 * k0);
  const xty = new Float64Array(k0);
  for (let a = 0; a < k0; a++) {
    const xa = inp.x2[a]!;
    for (let r = 0; r < n; r++) if (used[r]) xty[a]! += xa[r]! * yTilde[r]!;
    for (let b = 0; b <= a; b++) {
      const xb = inp.x2[b]!;
      let acc = 0;
      for (let r = 0; r < n; r++) if (used[r]) acc += xa[r]! * xb[r]!;
      xtx[a * k0 + b] = xtx[b * k0 + a] = acc;
    }
  }
  const ch = choleskyPivoted(xtx, k0);
  const kept = ch.kept;
  const k = kept.length;
  if (k === 0) throw new Error(`two-stage DID: every second-stage regressor is empty or collinear (${inp.x2Names.join(', ')})`);
  const bread = choleskyInverse(ch.factor, k);
  const x2 = kept.map((j) => inp.x2[j]!);
  const coef = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let acc = 0;
    for (let b = 0; b < k; b++) acc += bread[a * k + b]! * xty[kept[b]!]!;
    coef[a] = acc;
  }
  const u2 = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    if (!used[r]) continue;
    let f = 0;
    for (let a = 0; a < k; a++) f += x2[a]![r]! * coef[a]!;
    u2[r] = yTilde[r]! - f;
  }

  // GMM correction: h_j = Z_S Γ_j with Γ_j = (Z_S'Z_S)⁻¹ Z'x2_j (sums over the used rows)
  const sel = (r: number) => used[r] === 1;
  const sums = new Float64Array(inp.nClusters * k);
  for (let a = 0; a < k; a++) {
    const xa = x2[a]!;
    const g = solver.solve(solver.levelSums(xa, sel), solver.controlSums(xa, sel));
    for (let r = 0; r < n; r++) {
      if (!used[r]) continue;
      let v = -xa[r]! * u2[r]!;
      if (s[r]) v += solver.predict(g, r) * yTilde[r]!;
      sums[inp.cluster[r]! * k + a]! += v;
    }
  }
  const meat = new Float64Array(k * k);
  let clustersUsed = 0;
  const seen = new Uint8Array(inp.nClusters);
  for (let r = 0; r < n; r++) if (used[r] && !seen[inp.cluster[r]!]) (seen[inp.cluster[r]!] = 1), clustersUsed++;
  for (let c = 0; c < inp.nClusters; c++) {
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) meat[a * k + b]! += sums[c * k + a]! * sums[c * k + b]!;
  }
  const vcov = new Float64Array(k * k);
  const tmp = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let acc = 0;
    for (let m = 0; m < k; m++) acc += bread[i * k + m]! * meat[m * k + j]!;
    tmp[i * k + j] = acc;
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
    let acc = 0;
    for (let m = 0; m < k; m++) acc += tmp[i * k + m]! * bread[m * k + j]!;
    vcov[i * k + j] = acc;
  }

  const firstStageControls: Record<string, number> = {};
  solver.controlsKept.forEach((j, c) => (firstStageControls[inp.controlNames[j]!] = fit1.gamma[c]!));
  return {
    names: kept.map((j) => inp.x2Names[j]!),
    coef,
    vcov,
    collinear: ch.dropped.map((j) => inp.x2Names[j]!),
    nobs,
    nFirstStage: nS,
    nClustersUsed: clustersUsed,
    drops: { missing, notIdentified },
    yTilde,
    used,
    firstStageControls,
    iterations: solver.iterations,
    converged: solver.converged,
    solver,
  };
}
