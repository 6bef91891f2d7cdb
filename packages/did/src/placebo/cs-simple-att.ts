/**
 * The simple ATT of Callaway-Sant'Anna without covariates, for many cohort assignments of one
 * panel. Without covariates every 2x2 (dr, ipw, reg) is a difference of weighted mean changes, so a
 * draw needs only per-cohort sums of the outcome by period: O(units × periods) per draw, on arrays
 * prepared once, with no data frame and no influence matrix. Equal to
 * aggte(attGt(...), 'simple', naRm) on the same assignment (tested); the cases it does not cover
 * (no never-treated unit, propensity trimming) are answered null so the caller takes the full path.
 */
import type { PanelFrame } from '@panel-lab/panel';
import type { ControlGroup } from '../cs/att-gt.js';
import { isComparison, NEVER, planCells } from '../cs/att-gt-common.js';
import { TRIM_LEVEL } from '../cs/nuisance.js';
import type { EstMethod } from '../cs/two-by-two.js';
import type { TreatmentSetup } from '../treatment.js';

export interface SimpleAttInputs {
  readonly outcome: string;
  readonly controlGroup: ControlGroup;
  readonly estMethod: EstMethod;
  readonly anticipation: number;
  readonly weights?: string | undefined;
}

export type SimpleAtt = { readonly ok: true; readonly att: number } | { readonly ok: false; readonly fallback: boolean; readonly reason: string };

export class SimpleAttEvaluator {
  readonly #periods: readonly number[];
  readonly #units: Int32Array; // setup unit index of each kept (complete) unit
  readonly #w: Float64Array; // unit weights
  readonly #y: Float64Array; // kept unit x period outcomes, unit-major
  readonly #inputs: SimpleAttInputs;

  constructor(frame: PanelFrame, setup: TreatmentSetup, inputs: SimpleAttInputs) {
    const T = setup.periods.length;
    const y = frame.numeric(inputs.outcome);
    const wCol = inputs.weights ? frame.numeric(inputs.weights) : null;
    const yMat = new Float64Array(setup.nUnits * T).fill(Number.NaN);
    const wUnit = new Float64Array(setup.nUnits).fill(1);
    const complete = new Uint8Array(setup.nUnits).fill(1);
    const seen = new Uint8Array(setup.nUnits * T);
    for (let r = 0; r < setup.nRows; r++) {
      const u = setup.rowUnit[r]!;
      const cell = u * T + setup.rowPeriod[r]!;
      seen[cell] = 1;
      yMat[cell] = y[r]!;
      if (!Number.isFinite(y[r]!)) complete[u] = 0;
      if (wCol) {
        const w = wCol[r]!;
        if (!(w >= 0 && Number.isFinite(w))) complete[u] = 0;
        else wUnit[u] = w;
      }
    }
    for (let u = 0; u < setup.nUnits; u++) for (let t = 0; t < T; t++) if (!seen[u * T + t]) complete[u] = 0;
    const units: number[] = [];
    complete.forEach((c, u) => c && units.push(u));
    this.#units = Int32Array.from(units);
    this.#w = Float64Array.from(units, (u) => wUnit[u]!);
    this.#y = new Float64Array(units.length * T);
    units.forEach((u, i) => this.#y.set(yMat.subarray(u * T, (u + 1) * T), i * T));
    this.#periods = setup.periods;
    this.#inputs = inputs;
  }

  /** Simple ATT for a cohort per setup unit (Infinity or 0 = never treated). */
  evaluate(unitCohort: Float64Array): SimpleAtt {
    const periods = this.#periods;
    const T = periods.length;
    const first = periods[0]!;
    const last = periods[T - 1]!;
    const delta = this.#inputs.anticipation;
    // cohort of each kept unit: NaN = dropped (treated in the first period or before), Infinity = never
    const byCohort = new Map<number, { w: number; sums: Float64Array }>();
    let nKept = 0;
    for (let i = 0; i < this.#units.length; i++) {
      let g = unitCohort[this.#units[i]!]!;
      if (!(g > 0) || g > last) g = NEVER;
      else if (g <= first) continue;
      nKept++;
      let acc = byCohort.get(g);
      if (!acc) byCohort.set(g, (acc = { w: 0, sums: new Float64Array(T) }));
      const wi = this.#w[i]!;
      acc.w += wi;
      for (let t = 0; t < T; t++) acc.sums[t]! += wi * this.#y[i * T + t]!;
    }
    const never = byCohort.get(NEVER);
    if (!never) return { ok: false, fallback: true, reason: 'no never-treated unit' };
    const glist = [...byCohort.keys()].filter(Number.isFinite).sort((a, b) => a - b);
    if (glist.length === 0) return { ok: false, fallback: false, reason: 'no treated cohort' };
    let num = 0;
    let den = 0;
    // the simple aggregation uses post cells only, whose base is the cohort's last pre-period
    for (const { g, tIdx: t, pret: b } of planCells(glist, periods, 'varying', delta, []).filter((c) => c.post)) {
      const tr = byCohort.get(g)!;
      const pg = tr.w / nKept;
      let cw = 0;
      let cs = 0;
      for (const [h, acc] of byCohort) {
        if (isComparison(h, g, periods[t]!, this.#inputs.controlGroup, delta)) ((cw += acc.w), (cs += acc.sums[t]! - acc.sums[b]!));
      }
      if (cw === 0) continue; // an NA cell, dropped as aggte(naRm) does
      if (this.#inputs.estMethod !== 'reg' && tr.w / (tr.w + cw) >= TRIM_LEVEL) {
        return { ok: false, fallback: true, reason: 'propensity trimming' };
      }
      num += pg * ((tr.sums[t]! - tr.sums[b]!) / tr.w - cs / cw);
      den += pg;
    }
    if (den === 0) return { ok: false, fallback: false, reason: 'no post-treatment cell could be estimated' };
    return { ok: true, att: num / den };
  }
}
