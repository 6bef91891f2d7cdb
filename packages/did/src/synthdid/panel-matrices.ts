/**
 * Long balanced panel -> the block outcome matrix synthdid works on (as R's panel.matrices):
 * periods sorted ascending; control units first, then treated, each group sorted by the unit id
 * as text. Checks balance and simultaneous adoption.
 */
import type { PanelFrame } from '@panel-lab/panel';
import type { OutcomeMatrix } from './types.js';

export interface BlockPanel {
  y: OutcomeMatrix;
  n0: number;
  t0: number;
  /** Unit ids in row order. */
  units: string[];
  /** Periods in column order. */
  times: number[];
  /** Covariate matrices in the same row and column order (only when covariates were asked for). */
  x?: OutcomeMatrix[];
}

export interface BlockColumns {
  outcome: string;
  /** 0/1 treatment indicator column. */
  treatment: string;
  /** Time-varying covariate columns (synthdid's X). */
  covariates?: string[];
}

/** A covariate column as parallel values (one per unit-period row). */
export interface CovariateColumn {
  name: string;
  values: ArrayLike<number>;
}

function fail(message: string, column?: string): never {
  throw new Error(`synthdid: ${column ? `column '${column}': ` : ''}${message}`);
}

function textOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the block matrix from parallel arrays (one entry per unit-period row). */
export function blockMatrix(
  unitIds: ArrayLike<string | number | null>,
  times: ArrayLike<number>,
  outcome: ArrayLike<number>,
  treated: ArrayLike<number>,
  names: BlockColumns & { unit: string; time: string },
  covariates: readonly CovariateColumn[] = [],
): BlockPanel {
  const n = unitIds.length;
  for (const c of covariates) {
    if (c.values.length !== n) fail(`has ${c.values.length} values for ${n} rows`, c.name);
    for (let i = 0; i < n; i++) if (!Number.isFinite(c.values[i]!)) fail(`missing or non-finite covariate at row ${i + 1}`, c.name);
  }
  const timeSet = new Set<number>();
  const unitIndex = new Map<string, number>();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = unitIds[i];
    if (u === null || u === undefined) fail(`missing unit id at row ${i + 1}`, names.unit);
    const t = times[i]!;
    if (!Number.isFinite(t)) fail(`missing or non-finite period at row ${i + 1}`, names.time);
    const w = treated[i]!;
    if (w !== 0 && w !== 1) fail(`treatment must be 0 or 1, got ${w} at row ${i + 1}`, names.treatment);
    if (!Number.isFinite(outcome[i]!)) fail(`missing or non-finite outcome at row ${i + 1}`, names.outcome);
    const key = String(u);
    if (!unitIndex.has(key)) {
      unitIndex.set(key, ids.length);
      ids.push(key);
    }
    timeSet.add(t);
  }
  const periods = [...timeSet].sort((a, b) => a - b);
  const nT = periods.length;
  const nU = ids.length;
  if (nU * nT !== n) fail(`the panel is not balanced: ${n} rows for ${nU} units x ${nT} periods`);
  const col = new Map(periods.map((t, j) => [t, j]));
  const yRaw = new Float64Array(nU * nT).fill(Number.NaN);
  const wRaw = new Float64Array(nU * nT).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const cell = unitIndex.get(String(unitIds[i]))! * nT + col.get(times[i]!)!;
    if (!Number.isNaN(yRaw[cell]!)) fail(`unit ${String(unitIds[i])} has two rows in period ${times[i]}`, names.time);
    yRaw[cell] = outcome[i]!;
    wRaw[cell] = treated[i]!;
  }
  let first = -1;
  const isTreated = new Array<boolean>(nU).fill(false);
  for (let u = 0; u < nU; u++) {
    let start = -1;
    for (let j = 0; j < nT; j++) {
      const w = wRaw[u * nT + j]!;
      if (w === 1 && start < 0) start = j;
      if (start >= 0 && w !== 1) fail(`unit ${ids[u]} leaves treatment in period ${periods[j]}; synthdid needs an absorbing treatment`, names.treatment);
    }
    if (start < 0) continue;
    isTreated[u] = true;
    if (first >= 0 && start !== first) fail(`treated units start in different periods (${periods[first]} and ${periods[start]}); synthdid needs block adoption — use the staggered (by-cohort) estimator`, names.treatment);
    first = start;
  }
  if (first < 0) fail('no unit is ever treated', names.treatment);
  if (first === 0) fail(`treatment starts in the first period (${periods[0]}): no pre-periods`, names.treatment);
  const controls = ids.filter((_, u) => !isTreated[u]).sort(textOrder);
  const treatedIds = ids.filter((_, u) => isTreated[u]).sort(textOrder);
  if (controls.length === 0) fail('every unit is treated: no controls', names.treatment);
  const order = [...controls, ...treatedIds];
  const values = new Float64Array(nU * nT);
  order.forEach((id, r) => values.set(yRaw.subarray(unitIndex.get(id)! * nT, (unitIndex.get(id)! + 1) * nT), r * nT));
  const block: BlockPanel = { y: { values, nUnits: nU, nPeriods: nT }, n0: controls.length, t0: first, units: order, times: periods };
  if (covariates.length > 0) {
    const rowOf = new Map(order.map((id, r) => [id, r]));
    block.x = covariates.map((c) => {
      const v = new Float64Array(nU * nT);
      for (let i = 0; i < n; i++) v[rowOf.get(String(unitIds[i]))! * nT + col.get(times[i]!)!] = c.values[i]!;
      return { values: v, nUnits: nU, nPeriods: nT };
    });
  }
  return block;
}

/** The block matrix of a PanelFrame (its unit and time columns). */
export function panelMatrices(frame: PanelFrame, columns: BlockColumns): BlockPanel {
  const { unit, time } = frame.schema;
  for (const c of [columns.outcome, columns.treatment, ...(columns.covariates ?? [])]) if (!frame.has(c)) fail('not found in the data', c);
  if (frame.isCategorical(time)) fail('the period must be numeric', time);
  for (const c of columns.covariates ?? []) if (frame.isCategorical(c)) fail('a covariate must be numeric', c);
  const covariates = (columns.covariates ?? []).map((name) => ({ name, values: frame.numeric(name) }));
  return blockMatrix(frame.values(unit), frame.numeric(time), frame.numeric(columns.outcome), frame.numeric(columns.treatment), { ...columns, unit, time }, covariates);
}
