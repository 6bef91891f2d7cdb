/**
 * de Chaisemartin & D'Haultfoeuille TWFE weights diagnostic (twowayfeweights, type "feTR"):
 * β_fe = Σ_{D=1} (N_gt/N_1) w_gt Δ_gt with w_gt = ε_gt / Σ_{D=1} (N_gt/N_1) ε_gt, ε the residual of
 * D on unit and period effects (and controls). Reports the count and sum of positive and negative
 * weights and σ_fe = |β_fe| / σ(w), the smallest SD of cell effects compatible with β_fe and an
 * average effect of zero.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { robustMeta, type RobustMeta } from './common.js';
import { controlColumns, feCodes } from './design.js';
import { SubsampleFe } from './subsample-fe.js';

export interface TwowayFeWeightsOptions {
  readonly outcome: string;
  /** 0/1 treatment column. */
  readonly treatment: string;
  readonly controls?: readonly string[];
}

export interface TreatedCellWeight {
  readonly unit: string;
  readonly time: number;
  readonly weight: number;
}

export interface TwowayFeWeightsResult {
  readonly kind: 'twowayfeweights';
  readonly spec: { readonly outcome: string; readonly treatment: string; readonly controls: readonly string[]; readonly type: 'feTR' };
  readonly beta: number;
  readonly nTreatedCells: number;
  readonly nPositive: number;
  readonly nNegative: number;
  /** Σ (N_gt/N_1) w_gt over positive / negative treated cells (they add up to 1). */
  readonly sumPositive: number;
  readonly sumNegative: number;
  /** σ(w) and the robustness ratio σ_fe = |β_fe| / σ(w). */
  readonly sdWeights: number;
  readonly sigmaFe: number;
  /** Rows dropped for a missing outcome, treatment or control. */
  readonly dropped: number;
  readonly cells: readonly TreatedCellWeight[];
  readonly meta: RobustMeta;
}

export function twowayFeWeights(frame: PanelFrame, options: TwowayFeWeightsOptions): TwowayFeWeightsResult {
  const t0 = performance.now();
  for (const c of [options.outcome, options.treatment]) if (!frame.has(c)) throw new Error(`twowayFeWeights: column '${c}' not found`);
  const controlNames = options.controls ?? [];
  const y = frame.numeric(options.outcome);
  const d = frame.numeric(options.treatment);
  const controls = controlColumns(frame, controlNames, 'twowayFeWeights controls');
  const fe = feCodes(frame, [frame.schema.unit, frame.schema.time], 'twowayFeWeights');
  const n = frame.nrows;
  const keep = new Uint8Array(n);
  let dropped = 0;
  for (let r = 0; r < n; r++) {
    let ok = Number.isFinite(y[r]!) && Number.isFinite(d[r]!);
    for (const x of controls) ok &&= Number.isFinite(x[r]!);
    if (ok && d[r] !== 0 && d[r] !== 1) throw new Error(`twowayFeWeights: treatment column '${options.treatment}' must be 0/1, got ${d[r]} at row ${r}`);
    keep[r] = ok ? 1 : 0;
    if (!ok) dropped++;
  }
  // one row per (unit, period) cell, all cells weighted equally (N_gt = 1)
  const solver = new SubsampleFe(fe.codes, fe.sizes, keep, controls);
  const fit = solver.fitOn(d);
  const eps = new Float64Array(n);
  let n1 = 0;
  let denom = 0;
  let num = 0;
  let den2 = 0;
  for (let r = 0; r < n; r++) {
    if (!keep[r]) continue;
    eps[r] = d[r]! - solver.predict(fit, r);
    num += eps[r]! * y[r]!;
    den2 += eps[r]! * d[r]!;
    if (d[r] === 1) {
      n1++;
      denom += eps[r]!;
    }
  }
  if (n1 === 0) throw new Error(`twowayFeWeights: no treated cell (treatment column '${options.treatment}' is never 1)`);
  denom /= n1;
  const beta = num / den2;
  const units = frame.codes(frame.schema.unit).levels;
  const time = frame.numeric(frame.schema.time);
  let nPos = 0;
  let nNeg = 0;
  let sPos = 0;
  let sNeg = 0;
  let ss = 0;
  const cells: TreatedCellWeight[] = [];
  for (let r = 0; r < n; r++) {
    if (!keep[r] || d[r] !== 1) continue;
    const w = eps[r]! / denom;
    if (w >= 0) (nPos++, (sPos += w / n1));
    else (nNeg++, (sNeg += w / n1));
    ss += (w - 1) ** 2 / n1;
    cells.push(Object.freeze({ unit: units[fe.codes[0]![r]!]!, time: time[r]!, weight: w }));
  }
  const sd = Math.sqrt(ss);
  return Object.freeze({
    kind: 'twowayfeweights' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, controls: Object.freeze([...controlNames]), type: 'feTR' as const }),
    beta,
    nTreatedCells: n1,
    nPositive: nPos,
    nNegative: nNeg,
    sumPositive: sPos,
    sumNegative: sNeg,
    sdWeights: sd,
    sigmaFe: Math.abs(beta) / sd,
    dropped,
    cells: Object.freeze(cells),
    meta: robustMeta(t0),
  });
}
