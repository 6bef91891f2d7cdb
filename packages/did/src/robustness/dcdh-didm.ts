/**
 * de Chaisemartin & D'Haultfoeuille (AER 2020) DID_M for a binary treatment that may switch on and
 * off, with its placebos, as the legacy R/Stata did_multiplegt:
 *   DID_+,t = mean ΔY(joiners) − mean ΔY(stable untreated),  DID_−,t = mean ΔY(stable treated) − mean ΔY(leavers),
 *   DID_M = Σ_t (N_joiners,t DID_+,t + N_leavers,t DID_−,t) / Σ_t (N_joiners,t + N_leavers,t).
 * Placebo k applies the same comparison to ΔY_{t−k} = Y_{t−k} − Y_{t−k−1} among groups whose
 * treatment was stable from t−k−1 to t−1. Standard errors: cluster block bootstrap (the legacy
 * command's method), seeded.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { createRng } from '@panel-lab/compute';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { onGrid, unitGrid, unitLevelCodes } from './unit-grid.js';

export interface DidMultiplegtOptions {
  readonly outcome: string;
  /** 0/1 treatment column (switching on and off allowed). */
  readonly treatment: string;
  /** Number of placebos (default 0). */
  readonly placebo?: number;
  /** Cell weights N_gt (numeric column); default 1. */
  readonly weights?: string;
  /** Bootstrap replications for SEs (default 200; 0 = point estimates only). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Cluster column nesting units for the block bootstrap (default the unit). */
  readonly cluster?: string;
  readonly alpha?: number;
}

export interface DidMultiplegtResult {
  readonly kind: 'did_multiplegt';
  readonly spec: { readonly outcome: string; readonly treatment: string; readonly placebo: number; readonly weights: string | null; readonly bootstrap: number; readonly seed: number; readonly cluster: string; readonly alpha: number };
  /** DID_M, then Placebo_k rows; SEs NaN when bootstrap = 0. */
  readonly coefs: readonly RobustCoef[];
  /** Switching cells (joiners + leavers) and all cells used, per row of coefs. */
  readonly switchers: readonly number[];
  readonly cells: readonly number[];
  /** Bootstrap draws where an estimate was not defined (no switcher or no stable group drawn). */
  readonly bootstrapFailures: number;
  readonly meta: RobustMeta;
}

interface Grid {
  nT: number;
  y: Float64Array;
  d: Float64Array;
  w: Float64Array;
}

/** DID_M (k = 0) or placebo k over the listed units (duplicates allowed: bootstrap copies). */
function didM(g: Grid, units: ArrayLike<number>, k: number): { estimate: number; switchers: number; cells: number } {
  const { nT, y, d, w } = g;
  let num = 0;
  let den = 0;
  let switchers = 0;
  let cells = 0;
  const sums = new Float64Array(8); // [sumW, sumWdY] for joiners, stable0, leavers, stable1
  const counts = new Int32Array(4);
  for (let t = k + 1; t < nT; t++) {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < units.length; i++) {
      const base = units[i]! * nT;
      const d0 = d[base + t - 1]!;
      const d1 = d[base + t]!;
      const wt = w[base + t]!;
      if (!Number.isFinite(d0) || !Number.isFinite(d1) || !(wt > 0)) continue;
      // placebo: treatment stable from t-k-1 to t-1
      let stable = true;
      for (let s = t - k - 1; s < t - 1 && stable; s++) stable = d[base + s] === d0;
      if (!stable) continue;
      const dy = y[base + t - k]! - y[base + t - k - 1]!;
      if (!Number.isFinite(dy)) continue;
      const cls = d0 === 0 ? (d1 === 1 ? 0 : 1) : d1 === 0 ? 2 : 3;
      sums[2 * cls]! += wt;
      sums[2 * cls + 1]! += wt * dy;
      counts[cls]! += 1;
    }
    const mean = (c: number) => sums[2 * c + 1]! / sums[2 * c]!;
    // a term enters only when both of its groups are non-empty (weight 0 otherwise)
    let used = 0;
    if (sums[0]! > 0 && sums[2]! > 0) {
      num += sums[0]! * (mean(0) - mean(1));
      den += sums[0]!;
      switchers += counts[0]!;
      used += counts[0]! + counts[1]!;
    }
    if (sums[4]! > 0 && sums[6]! > 0) {
      num += sums[4]! * (mean(3) - mean(2));
      den += sums[4]!;
      switchers += counts[2]!;
      used += counts[2]! + counts[3]!;
    }
    cells += used;
  }
  return { estimate: den > 0 ? num / den : Number.NaN, switchers, cells };
}

export function didMultiplegt(frame: PanelFrame, options: DidMultiplegtOptions): DidMultiplegtResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const placebo = options.placebo ?? 0;
  const B = options.bootstrap ?? 200;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(placebo) && placebo >= 0)) throw new Error(`didMultiplegt: option placebo must be an integer >= 0, got ${placebo}`);
  if (!(Number.isInteger(B) && B >= 0)) throw new Error(`didMultiplegt: option bootstrap must be an integer >= 0, got ${B}`);
  for (const c of [options.outcome, options.treatment]) if (!frame.has(c)) throw new Error(`didMultiplegt: column '${c}' not found`);
  const grid = unitGrid(frame);
  const d = onGrid(grid, frame.numeric(options.treatment));
  for (let c = 0; c < d.length; c++) {
    const v = d[c]!;
    if (grid.rowOf[c]! >= 0 && !Number.isNaN(v) && v !== 0 && v !== 1) {
      throw new Error(`didMultiplegt: treatment column '${options.treatment}' must be 0/1, got ${v} at row ${grid.rowOf[c]}`);
    }
  }
  const w = options.weights ? onGrid(grid, frame.numeric(options.weights)) : Float64Array.from(grid.rowOf, (r) => (r >= 0 ? 1 : 0));
  const g: Grid = { nT: grid.nT, y: onGrid(grid, frame.numeric(options.outcome)), d, w };
  const all = Int32Array.from({ length: grid.nU }, (_, u) => u);
  const ks = Array.from({ length: placebo + 1 }, (_, k) => k);
  const point = ks.map((k) => didM(g, all, k));
  if (!Number.isFinite(point[0]!.estimate)) throw new Error('didMultiplegt: DID_M is not defined: no period has both a switching group and a stable comparison group');

  // cluster block bootstrap
  const clusterName = options.cluster ?? frame.schema.unit;
  const cl = clusterName === frame.schema.unit ? all : unitLevelCodes(grid, frame.codes(clusterName).codes, clusterName);
  const members = new Map<number, number[]>();
  for (let u = 0; u < grid.nU; u++) {
    const list = members.get(cl[u]!) ?? [];
    list.push(u);
    members.set(cl[u]!, list);
  }
  const clusters = [...members.values()];
  const rng = createRng(seed);
  const draws = ks.map(() => [] as number[]);
  let failures = 0;
  for (let b = 0; b < B; b++) {
    const units: number[] = [];
    for (let c = 0; c < clusters.length; c++) units.push(...clusters[rng.int(0, clusters.length - 1)]!);
    for (const k of ks) {
      const e = didM(g, units, k).estimate;
      if (Number.isFinite(e)) draws[k]!.push(e);
      else failures++;
    }
  }
  const sd = (v: number[]) => {
    if (v.length < 2) return Number.NaN;
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
  };
  const coefs = ks.map((k) =>
    robustCoef(k === 0 ? 'DID_M' : `Placebo_${k}`, point[k]!.estimate, B > 0 ? sd(draws[k]!) : Number.NaN, { alpha, eventTime: k === 0 ? 0 : -k - 1, n: point[k]!.cells }),
  );
  return Object.freeze({
    kind: 'did_multiplegt' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, placebo, weights: options.weights ?? null, bootstrap: B, seed, cluster: clusterName, alpha }),
    coefs: Object.freeze(coefs),
    switchers: Object.freeze(point.map((p) => p.switchers)),
    cells: Object.freeze(point.map((p) => p.cells)),
    bootstrapFailures: failures,
    meta: robustMeta(t0, seed),
  });
}
