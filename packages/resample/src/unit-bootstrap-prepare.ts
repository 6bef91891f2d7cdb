/**
 * Preparation of a unit-cluster bootstrap of an OLS with unit and time fixed effects.
 *
 * Resampling whole units with replacement (each copy with its own unit effect) gives the same
 * coefficients as a weighted regression with frequency weight w_u = how often unit u was drawn.
 * With weights constant within a unit, projecting out the unit effects is the plain within-unit
 * demeaning whatever the weights, so it is done once; the time effects stay as unit-demeaned
 * dummies. The weighted Gram matrix of a draw is then Σ_u w_u G_u over per-unit Gram matrices G_u,
 * computed here once: a draw costs O(units × p²), never a copy of the data.
 */

export interface UnitFeDesign {
  /** Row -> unit code in 0..nUnits-1 (the resampled cluster, absorbed as a fixed effect). */
  readonly unit: Int32Array;
  readonly nUnits: number;
  /** Row -> time code in 0..nTimes-1 (the second fixed effect, kept as dummies). */
  readonly time: Int32Array;
  readonly nTimes: number;
}

export interface UnitBootstrapRegression {
  /** Label used in failure messages. */
  readonly label: string;
  readonly lhs: Float64Array;
  /** Regressors in the user's order (later ones are dropped first when collinear, as in fixest). */
  readonly rhs: readonly Float64Array[];
  readonly rhsNames: readonly string[];
}

/** Most time levels kept as dummies; beyond this the per-unit Gram matrices grow too large. */
export const MAX_TIME_DUMMIES = 400;

export interface PreparedUnitRegression {
  readonly label: string;
  readonly rhsNames: readonly string[];
  /** Columns of the Gram: time dummies first (absorbed effects win), then rhs, then lhs last. */
  readonly p: number;
  readonly nDummies: number;
  /** Packed lower triangles (p(p+1)/2 each), one per unit, unit-major. */
  readonly grams: Float64Array;
  readonly packed: number;
  /** Column scales (norms after demeaning) to return coefficients in the data's units. */
  readonly scale: Float64Array;
  readonly nobs: number;
}

/** Complete cases of the regression's columns (feols drops rows with a missing value the same way). */
function completeRows(reg: UnitBootstrapRegression, n: number): Int32Array {
  const cols = [reg.lhs, ...reg.rhs];
  const keep: number[] = [];
  for (let r = 0; r < n; r++) if (cols.every((c) => Number.isFinite(c[r]!))) keep.push(r);
  return Int32Array.from(keep);
}

/** Within-unit demeaned columns over the kept rows: time dummies (minus the first level present), rhs, lhs. */
function demeanedColumns(design: UnitFeDesign, reg: UnitBootstrapRegression, rows: Int32Array): { cols: Float64Array[]; nDummies: number } {
  const m = rows.length;
  const unitSize = new Float64Array(design.nUnits);
  const present = new Uint8Array(design.nTimes);
  for (const r of rows) (unitSize[design.unit[r]!]! += 1), (present[design.time[r]!] = 1);
  const levels: number[] = [];
  present.forEach((on, t) => on && levels.push(t));
  const dummyLevels = levels.slice(1);
  if (dummyLevels.length > MAX_TIME_DUMMIES) {
    throw new RangeError(`${reg.label}: ${dummyLevels.length + 1} time levels; the unit bootstrap keeps at most ${MAX_TIME_DUMMIES + 1} as dummies`);
  }
  const dummyIndex = new Int32Array(design.nTimes).fill(-1);
  dummyLevels.forEach((t, j) => (dummyIndex[t] = j));
  // Share of each unit's rows in each dummy period, then the unit mean of every data column.
  const share = new Float64Array(design.nUnits * Math.max(1, dummyLevels.length));
  const nd = dummyLevels.length;
  for (const r of rows) {
    const j = dummyIndex[design.time[r]!]!;
    if (j >= 0) share[design.unit[r]! * nd + j]! += 1 / unitSize[design.unit[r]!]!;
  }
  const cols: Float64Array[] = [];
  for (let j = 0; j < nd; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const r = rows[i]!;
      c[i] = (dummyIndex[design.time[r]!] === j ? 1 : 0) - share[design.unit[r]! * nd + j]!;
    }
    cols.push(c);
  }
  for (const x of [...reg.rhs, reg.lhs]) {
    const mean = new Float64Array(design.nUnits);
    for (const r of rows) mean[design.unit[r]!]! += x[r]!;
    for (let u = 0; u < design.nUnits; u++) if (unitSize[u]! > 0) mean[u]! /= unitSize[u]!;
    cols.push(Float64Array.from(rows, (r) => x[r]! - mean[design.unit[r]!]!));
  }
  return { cols, nDummies: nd };
}

export function prepareUnitRegression(design: UnitFeDesign, reg: UnitBootstrapRegression): PreparedUnitRegression {
  const n = design.unit.length;
  if (design.time.length !== n || reg.lhs.length !== n || reg.rhs.some((c) => c.length !== n)) {
    throw new RangeError(`${reg.label}: every column must have ${n} rows`);
  }
  const rows = completeRows(reg, n);
  const { cols, nDummies } = demeanedColumns(design, reg, rows);
  const p = cols.length;
  const scale = new Float64Array(p);
  cols.forEach((c, j) => {
    let s = 0;
    for (const v of c) s += v * v;
    scale[j] = s > 0 ? Math.sqrt(s) : 1;
    for (let i = 0; i < c.length; i++) c[i]! /= scale[j]!;
  });
  const packed = (p * (p + 1)) / 2;
  const grams = new Float64Array(design.nUnits * packed);
  for (let i = 0; i < rows.length; i++) {
    const base = design.unit[rows[i]!]! * packed;
    let o = base;
    for (let a = 0; a < p; a++) {
      const xa = cols[a]![i]!;
      if (xa === 0) {
        o += a + 1;
        continue;
      }
      for (let b = 0; b <= a; b++) grams[o++]! += xa * cols[b]![i]!;
    }
  }
  return { label: reg.label, rhsNames: reg.rhsNames, p, nDummies, grams, packed, scale, nobs: rows.length };
}
