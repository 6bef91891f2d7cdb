/**
 * Unit-level dummies for heterogeneity: taken from a 0/1 column, or built as 1{value in a
 * pre-period > median} (seed Tables 12-13: innovation index and GDP per capita in 2014).
 */
import type { PanelFrame } from '@panel-lab/panel';
import type { TreatmentSetup } from '../treatment.js';

export type UnitDummySpec =
  | { readonly name: string; readonly column: string }
  | { readonly name: string; readonly aboveMedianOf: string; readonly period: number; readonly medianAmong?: 'sample' | 'treated' };

export interface UnitDummy {
  readonly name: string;
  /** Per unit: 1, 0, or NaN (value missing: the unit is dropped and counted). */
  readonly values: Float64Array;
  readonly median: number | null;
  readonly unitsMissing: number;
}

export function unitDummy(frame: PanelFrame, setup: TreatmentSetup, spec: UnitDummySpec): UnitDummy {
  const values = new Float64Array(setup.nUnits).fill(Number.NaN);
  if ('column' in spec) {
    if (!frame.has(spec.column)) throw new Error(`heterogeneity '${spec.name}': column '${spec.column}' not found`);
    const x = frame.numeric(spec.column);
    for (let r = 0; r < setup.nRows; r++) {
      const u = setup.rowUnit[r]!;
      const v = x[r]!;
      if (Number.isNaN(v)) continue;
      if (v !== 0 && v !== 1) throw new Error(`heterogeneity '${spec.name}': column '${spec.column}' must be 0/1, got ${v} at row ${r}`);
      if (!Number.isNaN(values[u]!) && values[u] !== v) throw new Error(`heterogeneity '${spec.name}': column '${spec.column}' varies within unit '${setup.units[u]}'`);
      values[u] = v;
    }
    return { name: spec.name, values, median: null, unitsMissing: values.filter(Number.isNaN).length };
  }
  if (!frame.has(spec.aboveMedianOf)) throw new Error(`heterogeneity '${spec.name}': column '${spec.aboveMedianOf}' not found`);
  if (!setup.periods.includes(spec.period)) throw new Error(`heterogeneity '${spec.name}': period ${spec.period} is not in the panel`);
  const x = frame.numeric(spec.aboveMedianOf);
  const time = frame.numeric(frame.schema.time);
  const level = new Float64Array(setup.nUnits).fill(Number.NaN);
  for (let r = 0; r < setup.nRows; r++) if (time[r] === spec.period) level[setup.rowUnit[r]!] = x[r]!;
  const pool: number[] = [];
  for (let u = 0; u < setup.nUnits; u++) {
    if (Number.isNaN(level[u]!)) continue;
    if ((spec.medianAmong ?? 'sample') === 'treated' && !Number.isFinite(setup.unitCohort[u]!)) continue;
    pool.push(level[u]!);
  }
  if (pool.length === 0) throw new Error(`heterogeneity '${spec.name}': no unit has '${spec.aboveMedianOf}' in ${spec.period}`);
  pool.sort((a, b) => a - b);
  const mid = pool.length / 2;
  const median = pool.length % 2 ? pool[Math.floor(mid)]! : (pool[mid - 1]! + pool[mid]!) / 2;
  let missing = 0;
  for (let u = 0; u < setup.nUnits; u++) {
    if (Number.isNaN(level[u]!)) missing++;
    else values[u] = level[u]! > median ? 1 : 0;
  }
  return { name: spec.name, values, median, unitsMissing: missing };
}
