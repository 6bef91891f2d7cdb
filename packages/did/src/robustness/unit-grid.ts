/**
 * A unit x period grid of a panel (unit-major, NaN where a cell is absent): the layout the
 * de Chaisemartin-D'Haultfoeuille estimators and the TWFE-weights diagnostic work on.
 */
import type { PanelFrame } from '@panel-lab/panel';

export interface UnitGrid {
  readonly nU: number;
  readonly nT: number;
  readonly periods: readonly number[];
  readonly units: readonly string[];
  /** Row index of each cell, -1 when absent. */
  readonly rowOf: Int32Array;
}

export function unitGrid(frame: PanelFrame): UnitGrid {
  const unitName = frame.schema.unit;
  const timeName = frame.schema.time;
  const { codes, levels } = frame.codes(unitName);
  const time = frame.numeric(timeName);
  const periods = Array.from(new Set(time)).filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  const pIndex = new Map(periods.map((p, i) => [p, i]));
  const nU = levels.length;
  const nT = periods.length;
  const rowOf = new Int32Array(nU * nT).fill(-1);
  for (let r = 0; r < codes.length; r++) {
    if (codes[r]! < 0) throw new Error(`unit column '${unitName}' is missing at row ${r}`);
    if (!Number.isFinite(time[r]!)) throw new Error(`time column '${timeName}' is missing at row ${r}`);
    const cell = codes[r]! * nT + pIndex.get(time[r]!)!;
    if (rowOf[cell]! >= 0) throw new Error(`unit '${levels[codes[r]!]}' has more than one row for ${timeName} = ${time[r]} (row ${r})`);
    rowOf[cell] = r;
  }
  return { nU, nT, periods, units: levels, rowOf };
}

/** A row-aligned column laid out on the grid (NaN for absent cells). */
export function onGrid(grid: UnitGrid, column: Float64Array): Float64Array {
  const out = new Float64Array(grid.nU * grid.nT).fill(Number.NaN);
  for (let c = 0; c < out.length; c++) {
    const r = grid.rowOf[c]!;
    if (r >= 0) out[c] = column[r]!;
  }
  return out;
}

/** Per unit: the code of a unit-level column (cluster), taken from the unit's first row; constant within unit required. */
export function unitLevelCodes(grid: UnitGrid, codes: Int32Array, column: string): Int32Array {
  const out = new Int32Array(grid.nU).fill(-1);
  for (let u = 0; u < grid.nU; u++) {
    for (let t = 0; t < grid.nT; t++) {
      const r = grid.rowOf[u * grid.nT + t]!;
      if (r < 0) continue;
      const c = codes[r]!;
      if (c < 0) throw new Error(`cluster column '${column}' is missing at row ${r}`);
      if (out[u]! >= 0 && out[u] !== c) throw new Error(`cluster column '${column}' varies within unit '${grid.units[u]}'; clusters must nest units`);
      out[u] = c;
    }
  }
  return out;
}
