/**
 * Frame -> arrays helpers shared by the two-stage, imputation and spatial estimators: fixed-effect
 * codes, control columns and event-time dummies built from the treatment setup.
 */
import type { PanelFrame } from '@panel-lab/panel';
import type { TreatmentSetup } from '../treatment.js';
import { numericColumn } from './common.js';

export interface FeCodes {
  readonly codes: Int32Array[];
  readonly sizes: number[];
  readonly names: string[];
}

/** Dense codes of each FE column; a missing FE value is an error naming the column and row. */
export function feCodes(frame: PanelFrame, names: readonly string[], option: string): FeCodes {
  const codes: Int32Array[] = [];
  const sizes: number[] = [];
  for (const name of names) {
    if (!frame.has(name)) throw new Error(`${option}: fixed-effect column '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
    const c = frame.codes(name);
    for (let r = 0; r < c.codes.length; r++) if (c.codes[r]! < 0) throw new Error(`${option}: fixed-effect column '${name}' is missing at row ${r}`);
    codes.push(c.codes);
    sizes.push(c.levels.length);
  }
  return { codes, sizes, names: [...names] };
}

export function controlColumns(frame: PanelFrame, names: readonly string[], option: string): Float64Array[] {
  return names.map((n) => numericColumn(frame, n, option));
}

export interface EventDummies {
  readonly columns: Float64Array[];
  readonly names: string[];
  readonly eventTimes: number[];
  /** Treated-unit rows outside the window, pooled into the end bins. */
  readonly binned: number;
}

/**
 * One dummy per relative period of ever-treated units (never-treated rows are all zero), except the
 * reference periods; relative periods outside `window` are binned into its ends.
 */
export function eventDummies(setup: TreatmentSetup, ref: readonly number[], window?: readonly [number, number]): EventDummies {
  const n = setup.nRows;
  const rel = new Float64Array(n);
  let binned = 0;
  const values = new Set<number>();
  for (let r = 0; r < n; r++) {
    let e = setup.relTime[r]!;
    if (Number.isFinite(e) && window) {
      if (e < window[0]) (e = window[0]), binned++;
      else if (e > window[1]) (e = window[1]), binned++;
    }
    rel[r] = e;
    if (Number.isFinite(e)) values.add(e);
  }
  const times = [...values].filter((e) => !ref.includes(e)).sort((a, b) => a - b);
  const index = new Map(times.map((e, j) => [e, j]));
  const columns = times.map(() => new Float64Array(n));
  for (let r = 0; r < n; r++) {
    const j = index.get(rel[r]!);
    if (j !== undefined) columns[j]![r] = 1;
  }
  return { columns, names: times.map((e) => `event_time::${e}`), eventTimes: times, binned };
}
