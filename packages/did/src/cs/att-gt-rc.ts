/**
 * att_gt on repeated cross-sections (did's panel = FALSE) and on unbalanced panels (did's
 * allow_unbalanced_panel = TRUE, which runs the same estimators but keeps the unit id): each ATT(g,t)
 * is DRDID's repeated-cross-section 2x2 on the rows of the two periods, its per-row influence
 * function is scaled by n/n1 (n ids, n1 rows of the 2x2) and summed by id.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { treatmentSetup } from '../treatment.js';
import type { AttGtOptions, AttGtSampling, GroupTimeResult } from './att-gt-types.js';
import { emptyOutputs, finishAttGt, isComparison, NEVER, planCells, recode, specOf, type Resolved } from './att-gt-common.js';
import { twoByTwoRc } from './two-by-two-rc.js';

export function attGtRepeatedCrossSections(frame: PanelFrame, options: AttGtOptions, r: Resolved, sampling: Exclude<AttGtSampling, 'panel'>): GroupTimeResult {
  const { controlGroup, estMethod, basePeriod, anticipation, covariates } = r;
  const setup = treatmentSetup(frame, options.treatment);
  const warnings: string[] = [];
  const byUnit = sampling === 'unbalanced_panel';
  const y = frame.numeric(options.outcome);
  const covCols = covariates.map((c) => frame.numeric(c));
  const wCol = options.weights ? frame.numeric(options.weights) : null;
  const clCol = options.cluster ? frame.codes(options.cluster) : null;
  let periods = [...setup.periods];

  // rows kept (did's complete cases), with the cohort recoding of its pre-processing
  const cohortOf = (row: number) => setup.unitCohort[setup.rowUnit[row]!]!;
  const keep = new Uint8Array(setup.nRows);
  let rowsIncomplete = 0;
  const alwaysTreated = new Set<number>();
  const treatedAfter = new Set<number>();
  for (let row = 0; row < setup.nRows; row++) {
    let ok = Number.isFinite(y[row]!) && covCols.every((c) => Number.isFinite(c[row]!));
    if (wCol) ok &&= wCol[row]! >= 0 && Number.isFinite(wCol[row]!);
    if (clCol) ok &&= clCol.codes[row]! >= 0;
    if (!ok) {
      rowsIncomplete++;
      continue;
    }
    const g = cohortOf(row);
    const id = byUnit ? setup.rowUnit[row]! : row;
    if (g !== NEVER && g <= periods[0]!) {
      alwaysTreated.add(id);
      continue;
    }
    if (g !== NEVER && g > periods[periods.length - 1]!) treatedAfter.add(id);
    keep[row] = 1;
  }
  const what = byUnit ? 'unit(s)' : 'observation(s)';
  if (rowsIncomplete > 0) warnings.push(`${rowsIncomplete} row(s) with a missing outcome, covariate, weight or cluster were dropped`);
  if (alwaysTreated.size > 0) warnings.push(`${alwaysTreated.size} ${what} treated in the first period or before were dropped`);
  if (treatedAfter.size > 0) warnings.push(`${treatedAfter.size} ${what} first treated after the last period are treated as never treated`);
  const cohort = (row: number): number => {
    const g = cohortOf(row);
    return g > setup.periods[setup.periods.length - 1]! ? NEVER : g;
  };

  // no never-treated rows: as the panel path (the last cohort becomes the not-yet-treated control)
  let lastCohort = NEVER;
  let periodsDroppedNoNeverTreated = 0;
  let hasNever = false;
  for (let row = 0; row < setup.nRows; row++) if (keep[row] && cohort(row) === NEVER) hasNever = true;
  if (!hasNever) {
    if (controlGroup === 'nevertreated') throw new Error(`attGt: there are no never-treated units; use controlGroup 'notyettreated'`);
    let gMax = -Infinity;
    for (let row = 0; row < setup.nRows; row++) if (keep[row]) gMax = Math.max(gMax, cohort(row));
    const before = periods.length;
    periods = periods.filter((p) => p < gMax - anticipation);
    periodsDroppedNoNeverTreated = before - periods.length;
    lastCohort = gMax;
    for (let row = 0; row < setup.nRows; row++) if (keep[row] && setup.periods[setup.rowPeriod[row]!]! >= gMax - anticipation) keep[row] = 0;
    warnings.push(`no never-treated units: cohort ${gMax} is used as the not-yet-treated control and ${periodsDroppedNoNeverTreated} period(s) from ${gMax - anticipation} on are dropped`);
  }
  const rowCohort = (row: number) => (cohort(row) === lastCohort ? NEVER : cohort(row));

  // ids (units or rows), ordered by cohort so the pre-test can skip zero blocks
  const idOfRow = new Int32Array(setup.nRows).fill(-1);
  const firstRowOfId = new Map<number, number>();
  for (let row = 0; row < setup.nRows; row++) {
    if (!keep[row]) continue;
    const key = byUnit ? setup.rowUnit[row]! : row;
    if (!firstRowOfId.has(key)) firstRowOfId.set(key, row);
  }
  const keys = [...firstRowOfId.keys()].sort((a, b) => rowCohort(firstRowOfId.get(a)!) - rowCohort(firstRowOfId.get(b)!) || a - b);
  const n = keys.length;
  if (n === 0) throw new Error('attGt: no observations left after removing incomplete and always-treated rows');
  const position = new Map(keys.map((k, i) => [k, i]));
  for (let row = 0; row < setup.nRows; row++) if (keep[row]) idOfRow[row] = position.get(byUnit ? setup.rowUnit[row]! : row)!;
  const G = Float64Array.from(keys, (k) => rowCohort(firstRowOfId.get(k)!));
  // aggte's group weights: did averages the rows' weights by id
  const W = idMeans(idOfRow, n, (row) => (wCol ? wCol[row]! : 1));
  const clusterIds = clCol ? idClusters(idOfRow, n, clCol.codes, options.cluster!, byUnit) : null;
  const clusterCodes = clusterIds ? recode(clusterIds) : null;
  const glist = [...new Set(G)].filter((g) => g !== NEVER).sort((a, b) => a - b);
  if (glist.length === 0) throw new Error('attGt: no treated cohort left to estimate');

  const cells = planCells(glist, periods, basePeriod, anticipation, warnings);
  const K = cells.length;
  const inf = new Float64Array(n * K);
  const out = emptyOutputs();
  let cellsNa = 0;
  const periodIndex = new Map(periods.map((p, i) => [p, i]));
  const rowPeriod = (row: number) => periodIndex.get(setup.periods[setup.rowPeriod[row]!]!) ?? -1;
  for (let k = 0; k < K; k++) {
    const { g, tIdx, pret, post, zero } = cells[k]!;
    const full = inf.subarray(k * n, (k + 1) * n);
    const later = periods[Math.max(tIdx, pret)]!;
    const rows: number[] = [];
    let nt = 0;
    const seen = [0, 0, 0, 0]; // treated base, treated current, comparison base, comparison current
    if (!zero) {
      for (let row = 0; row < setup.nRows; row++) {
        if (!keep[row]) continue;
        const t = rowPeriod(row);
        if (t !== tIdx && t !== pret) continue;
        const c = rowCohort(row);
        const treated = c === g;
        if (!treated && !isComparison(c, g, later, controlGroup, anticipation)) continue;
        rows.push(row);
        if (treated) nt++;
        seen[(treated ? 0 : 2) + (t === tIdx ? 1 : 0)]!++;
      }
    }
    out.group.push(g);
    out.time.push(periods[tIdx]!);
    out.baseTime.push(periods[pret]!);
    out.post.push(post);
    out.nTreated.push(nt);
    out.nControl.push(rows.length - nt);
    if (zero) {
      out.att.push(0);
      continue;
    }
    const missing = ['treated rows in the base period', 'treated rows in the current period', 'comparison rows in the base period', 'comparison rows in the current period'].filter((_, j) => seen[j] === 0);
    const res = missing.length > 0 ? { ok: false as const, reason: `no ${missing.join(', no ')}` } : cellRc(rows, tIdx, g, rowPeriod, rowCohort, y, covCols, wCol, estMethod);
    if (!res.ok) {
      cellsNa++;
      warnings.push(`ATT(${g},${periods[tIdx]}) is NA: ${res.reason}`);
      full.fill(Number.NaN);
      out.att.push(Number.NaN);
      continue;
    }
    const scale = n / rows.length;
    rows.forEach((row, m) => (full[idOfRow[row]!]! += scale * res.inf[m]!));
    out.att.push(res.att);
  }

  return finishAttGt({
    spec: specOf(options, r),
    sampling,
    out,
    inf,
    n,
    G,
    W,
    clusterCodes,
    ids: Int32Array.from(keys),
    idKind: byUnit ? 'unit' : 'row',
    clusterIds,
    periods,
    cohorts: glist,
    drops: {
      unitsIncomplete: 0,
      unitsAlwaysTreated: alwaysTreated.size,
      unitsTreatedAfterSample: treatedAfter.size,
      periodsDroppedNoNeverTreated,
      cellsNa,
      rowsIncomplete,
    },
    warnings,
  });
}

/** The 2x2 of one cell on its rows: y, post (the current period), d, the row's own covariates, weights. */
function cellRc(
  rows: number[],
  tIdx: number,
  g: number,
  rowPeriod: (row: number) => number,
  rowCohort: (row: number) => number,
  y: Float64Array,
  covCols: Float64Array[],
  wCol: Float64Array | null,
  estMethod: Resolved['estMethod'],
) {
  const m = rows.length;
  const x = [new Float64Array(m).fill(1), ...covCols.map((c) => Float64Array.from(rows, (row) => c[row]!))];
  return twoByTwoRc(estMethod, {
    y: Float64Array.from(rows, (row) => y[row]!),
    post: Float64Array.from(rows, (row) => (rowPeriod(row) === tIdx ? 1 : 0)),
    d: Float64Array.from(rows, (row) => (rowCohort(row) === g ? 1 : 0)),
    x,
    w: Float64Array.from(rows, (row) => (wCol ? wCol[row]! : 1)),
  });
}

/** Per id: the mean of f over its kept rows. */
function idMeans(idOfRow: Int32Array, n: number, f: (row: number) => number): Float64Array {
  const sum = new Float64Array(n);
  const count = new Float64Array(n);
  for (let row = 0; row < idOfRow.length; row++) {
    const id = idOfRow[row]!;
    if (id < 0) continue;
    sum[id]! += f(row);
    count[id]!++;
  }
  return sum.map((s, i) => s / count[i]!);
}

/** Cluster code per id; constant within a unit for unbalanced panels. */
function idClusters(idOfRow: Int32Array, n: number, codes: Int32Array, column: string, byUnit: boolean): Int32Array {
  const out = new Int32Array(n).fill(-1);
  for (let row = 0; row < idOfRow.length; row++) {
    const id = idOfRow[row]!;
    if (id < 0) continue;
    if (out[id] === -1) out[id] = codes[row]!;
    else if (byUnit && out[id] !== codes[row]) throw new Error(`attGt: cluster column '${column}' must be constant within each unit (row ${row})`);
  }
  return out;
}
