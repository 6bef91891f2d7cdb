import { demean, olsFit, prepareFixedEffects, type FixedEffectsStructure } from '@panel-lab/regression';
import type { TwfeArrays } from './twfe-input.js';

/**
 * A TWFE problem with the fixed effects and controls partialled out once (Frisch-Waugh-Lovell).
 * With ~ the two-way within transform and M the residual maker of the transformed controls Z~,
 * the coefficient on any treatment D is beta = D~' M y~ / D~' M D~. Since e = M y~ and Z~ are
 * orthogonal to the fixed effects, D~'e = D'e and D~'Z~ = D'Z~: both are sums of per-unit tail
 * sums (the tail table), so a pseudo-treatment costs O(treated units x controls), not O(rows).
 */
export interface TwfePrepared {
  readonly n: number;
  readonly nUnits: number;
  readonly nPeriods: number;
  readonly periods: readonly number[];
  readonly unitLabels: readonly string[];
  readonly unit: Int32Array;
  readonly time: Int32Array;
  /** Kept (non-collinear) controls and the ones dropped as collinear with the fixed effects or each other. */
  readonly controlNames: readonly string[];
  readonly collinearControls: readonly string[];
  /** e = M y~ (the outcome with FE and controls partialled out). */
  readonly ey: Float64Array;
  /** Z~: the within-transformed kept controls. */
  readonly z: readonly Float64Array[];
  /** (Z~'Z~)^-1, row-major K x K. */
  readonly ginv: Float64Array;
  /**
   * Per unit i and start s (0..T), over the unit's rows with period index >= s: [sum of e, row
   * count, sum of each Z~ column], one record of K + 2 values at ((i*(T+1)+s) * (K+2)). One record
   * per drawn unit keeps a draw's random reads to one or two cache lines.
   */
  readonly tail: Float64Array;
  /** K + 2. */
  readonly tailStride: number;
  /** Every unit observed once in every period: the within transform of D has a closed form. */
  readonly balanced: boolean;
  readonly fe: readonly [Int32Array, Int32Array];
  readonly feStructure: FixedEffectsStructure;
  readonly cluster: Int32Array;
  readonly nClusters: number;
  readonly clusterName: string;
  /** CR1 factor G/(G-1) (n-1)/(n-K) with fixest's K (FE nested in the cluster not counted). */
  readonly vcovAdj: number;
  readonly kVcov: number;
  /** Reference df of t tests: G - 1. */
  readonly tDf: number;
  readonly unitStart: Int32Array;
  readonly dropped: Readonly<{ missing: number }>;
}

/** True when every unit lies inside a single cluster. */
function unitNestedInCluster(unit: Int32Array, nUnits: number, cluster: Int32Array): boolean {
  const owner = new Int32Array(nUnits).fill(-1);
  for (let i = 0; i < unit.length; i++) {
    const o = owner[unit[i]!]!;
    if (o < 0) owner[unit[i]!] = cluster[i]!;
    else if (o !== cluster[i]) return false;
  }
  return true;
}

function timeNestedInCluster(time: Int32Array, nPeriods: number, cluster: Int32Array): boolean {
  return unitNestedInCluster(time, nPeriods, cluster);
}

/** Partials out unit and time FE and the controls (float64), and builds the per-unit tail sums. */
export function prepareTwfe(input: TwfeArrays, options: { tol?: number } = {}): TwfePrepared {
  const n = input.y.length;
  const N = input.unitLabels.length;
  const T = input.periods.length;
  if (n < 3) throw new Error(`TWFE needs at least 3 complete rows, got ${n}`);
  if (T < 2) throw new Error(`TWFE needs at least 2 periods, got ${T}`);
  if (N < 2) throw new Error(`TWFE needs at least 2 units, got ${N}`);
  for (const [name, arr] of [['unit', input.unit], ['time', input.time], ['cluster', input.cluster], ...input.controls.map((c, k) => [`controls[${k}] (${input.controlNames[k]})`, c] as const)] as const) {
    if (arr.length !== n) throw new Error(`TWFE input ${name}: has ${arr.length} rows, y has ${n}`);
  }
  if (input.unitStart.length !== N) throw new Error(`TWFE input unitStart: has ${input.unitStart.length} entries, expected one per unit (${N})`);
  input.unitStart.forEach((s, u) => {
    if (!Number.isInteger(s) || s < -1 || s > T) throw new Error(`TWFE input unitStart: unit '${input.unitLabels[u]}' has start ${s}, outside -1..${T}`);
  });
  for (let i = 0; i < n; i++) {
    const c = input.cluster[i]!;
    if (c < 0 || c >= input.nClusters) throw new Error(`TWFE input cluster: row ${i} has code ${c}, outside 0..${input.nClusters - 1}`);
    if (!Number.isFinite(input.y[i]!)) throw new Error(`TWFE input y: row ${i} is not finite (drop missing rows first)`);
  }
  const fe = [input.unit, input.time] as const;
  const feStructure = prepareFixedEffects(fe, undefined, [N, T]);
  const dm = demean({ columns: [input.y, ...input.controls], fe, structure: feStructure, tol: options.tol ?? 1e-10 });
  const yt = dm.columns[0]!;
  const zAll = dm.columns.slice(1);
  // Controls absorbed by the FE (tiny after demeaning) or collinear with earlier ones are dropped, as feols does.
  if (!Number.isFinite(sumSq(yt))) throw new Error(`TWFE input y: its sum of squares overflows float64 (largest |y| ${maxAbs(input.y)}); rescale it`);
  const absorbed = zAll.map((zt, k) => {
    const own = sumSq(zt);
    const centred = centredSumSq(input.controls[k]!);
    // an overflowed sum (Inf <= Inf) would pass as absorbed: name the control instead
    if (!Number.isFinite(own) || !Number.isFinite(centred)) throw new Error(`TWFE input controls[${k}] (${input.controlNames[k]}): its sum of squares overflows float64 (largest |value| ${maxAbs(input.controls[k]!)}); rescale it`);
    return own <= 1e-10 * centred;
  });
  const candidates = zAll.map((_, k) => k).filter((k) => !absorbed[k]);
  const fit = olsFit(candidates.map((k) => zAll[k]!), yt, { residuals: true, names: candidates.map((k) => input.controlNames[k]!) });
  const kept = fit.kept.map((c) => candidates[c]!);
  const z = kept.map((k) => zAll[k]!);
  const K = z.length;
  const ey = K > 0 ? fit.residuals : yt;
  const ginv = K > 0 ? fit.xtxInv : new Float64Array(0);
  const controlNames = kept.map((k) => input.controlNames[k]!);
  const collinearControls = input.controlNames.filter((_, k) => !kept.includes(k));

  const S = T + 1;
  const R = K + 2;
  const tail = new Float64Array(N * S * R);
  for (let i = 0; i < n; i++) {
    const at = (input.unit[i]! * S + input.time[i]!) * R;
    tail[at]! += ey[i]!;
    tail[at + 1]! += 1;
    for (let k = 0; k < K; k++) tail[at + 2 + k]! += z[k]![i]!;
  }
  // suffix sums over s within each unit: record s = sum over periods >= s (record T stays 0)
  for (let u = 0; u < N; u++) {
    for (let s = T - 2; s >= 0; s--) {
      const at = (u * S + s) * R;
      for (let r = 0; r < R; r++) tail[at + r]! += tail[at + R + r]!;
    }
  }

  const G = input.nClusters;
  if (G < 2) throw new Error(`option cluster: '${input.clusterName}' has ${G} cluster; at least 2 are needed`);
  // fixest's K with K.fixef = "nonnested": FE nested in the cluster do not count (one parameter kept for the intercept).
  const k = 1 + K;
  const unitNested = unitNestedInCluster(input.unit, N, input.cluster);
  const timeNested = timeNestedInCluster(input.time, T, input.cluster);
  const feDof = N + T - 1;
  let kVcov = k + feDof - (unitNested ? N - 1 : 0) - (timeNested ? T - 1 : 0);
  if (unitNested && timeNested) kVcov = k + 1;
  kVcov = Math.max(kVcov, k + 1);
  const vcovAdj = (G / (G - 1)) * ((n - 1) / (n - kVcov));

  return Object.freeze({
    n,
    nUnits: N,
    nPeriods: T,
    periods: input.periods,
    unitLabels: input.unitLabels,
    unit: input.unit,
    time: input.time,
    controlNames,
    collinearControls,
    ey,
    z,
    ginv,
    tail,
    tailStride: R,
    balanced: feStructure.balancedTwoWay,
    fe,
    feStructure,
    cluster: input.cluster,
    nClusters: G,
    clusterName: input.clusterName,
    vcovAdj,
    kVcov,
    tDf: G - 1,
    unitStart: input.unitStart,
    dropped: input.dropped,
  });
}

function sumSq(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

function centredSumSq(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i]!;
  m /= Math.max(1, x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s;
}
