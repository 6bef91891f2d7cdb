import type { PanelFrame } from '@panel-lab/panel';
import { treatmentSetup } from '../treatment.js';
import { noCovariateCell, twoByTwo, type CellRange } from './two-by-two.js';
import { emptyOutputs, finishAttGt, NEVER, planCells, recode, resolveOptions, specOf } from './att-gt-common.js';
import { attGtRepeatedCrossSections } from './att-gt-rc.js';
import type { AttGtOptions, GroupTimeResult } from './att-gt-types.js';

export type { AttGtDrops, AttGtOptions, AttGtSampling, BasePeriod, ControlGroup, GroupTimeResult } from './att-gt-types.js';

/**
 * Callaway & Sant'Anna (2021) group-time average treatment effects, mirroring did::att_gt: every
 * ATT(g,t) with the DRDID 2x2 estimator, its influence function, analytic SEs and the Wald pre-test
 * of the pre-period cells. Panel data by default (balanced first); unbalanced panels and repeated
 * cross-sections with the options panel and allowUnbalancedPanel.
 */
export function attGt(frame: PanelFrame, options: AttGtOptions): GroupTimeResult {
  const resolved = resolveOptions(options);
  const { controlGroup, estMethod, basePeriod, anticipation, alpha, covariates } = resolved;
  for (const c of [options.outcome, ...covariates, ...(options.weights ? [options.weights] : []), ...(options.cluster ? [options.cluster] : [])]) {
    if (!frame.has(c)) throw new Error(`attGt: column '${c}' not found; columns are: ${frame.columnNames.join(', ')}`);
  }
  if (!resolved.panel) return attGtRepeatedCrossSections(frame, options, resolved, 'repeated_cross_section');
  const setup = treatmentSetup(frame, options.treatment);
  const warnings: string[] = [];
  let periods = [...setup.periods];
  const nTAll = periods.length;

  // unit x period matrices of the outcome and covariates (NaN where absent)
  const y = frame.numeric(options.outcome);
  const covCols = covariates.map((c) => frame.numeric(c));
  const nU = setup.nUnits;
  const yMat = new Float64Array(nU * nTAll).fill(Number.NaN);
  const xMats = covCols.map(() => new Float64Array(nU * nTAll).fill(Number.NaN));
  const complete = new Uint8Array(nU).fill(1);
  const filled = new Uint8Array(nU * nTAll);
  const wUnit = new Float64Array(nU).fill(Number.NaN);
  const wCol = options.weights ? frame.numeric(options.weights) : null;
  const clCol = options.cluster ? frame.codes(options.cluster) : null;
  const clUnit = new Int32Array(nU).fill(-2);
  for (let r = 0; r < setup.nRows; r++) {
    const u = setup.rowUnit[r]!;
    const cell = u * nTAll + setup.rowPeriod[r]!;
    filled[cell] = 1;
    yMat[cell] = y[r]!;
    if (!Number.isFinite(y[r]!)) complete[u] = 0;
    for (let j = 0; j < covCols.length; j++) {
      const v = covCols[j]![r]!;
      xMats[j]![cell] = v;
      if (!Number.isFinite(v)) complete[u] = 0;
    }
    if (wCol) {
      const w = wCol[r]!;
      if (!(w >= 0) || !Number.isFinite(w)) complete[u] = 0;
      else if (Number.isNaN(wUnit[u]!)) wUnit[u] = w;
      else if (wUnit[u] !== w) throw new Error(`attGt: weights column '${options.weights}' must be constant within unit '${setup.units[u]}'`);
    }
    if (clCol) {
      const c = clCol.codes[r]!;
      if (c < 0) complete[u] = 0;
      else if (clUnit[u] === -2) clUnit[u] = c;
      else if (clUnit[u] !== c) throw new Error(`attGt: cluster column '${options.cluster}' must be constant within unit '${setup.units[u]}'`);
    }
  }
  for (let u = 0; u < nU; u++) for (let t = 0; t < nTAll; t++) if (!filled[u * nTAll + t]) complete[u] = 0;
  // did's allow_unbalanced_panel: only when some unit that enters (not treated in the first period) is incomplete
  if (resolved.allowUnbalancedPanel) {
    for (let u = 0; u < nU; u++) {
      if (!complete[u] && !(setup.unitCohort[u]! <= periods[0]!)) return attGtRepeatedCrossSections(frame, options, resolved, 'unbalanced_panel');
    }
  }

  // cohort recoding as did's pre-processing
  const cohort = Float64Array.from(setup.unitCohort);
  let unitsAlwaysTreated = 0;
  let unitsTreatedAfterSample = 0;
  let unitsIncomplete = 0;
  const keep = new Uint8Array(nU);
  for (let u = 0; u < nU; u++) {
    if (!complete[u]) {
      unitsIncomplete++;
      continue;
    }
    const g = cohort[u]!;
    if (g !== NEVER && g > periods[nTAll - 1]!) {
      cohort[u] = NEVER;
      unitsTreatedAfterSample++;
    } else if (g !== NEVER && g <= periods[0]!) {
      unitsAlwaysTreated++;
      continue;
    }
    keep[u] = 1;
  }
  if (unitsIncomplete > 0) warnings.push(`${unitsIncomplete} unit(s) dropped: not observed in every period or with missing values (the panel is balanced before estimation)`);
  if (unitsAlwaysTreated > 0) warnings.push(`${unitsAlwaysTreated} unit(s) treated in the first period or before were dropped`);
  if (unitsTreatedAfterSample > 0) warnings.push(`${unitsTreatedAfterSample} unit(s) first treated after the last period are treated as never treated`);

  let hasNever = false;
  for (let u = 0; u < nU; u++) if (keep[u] && cohort[u] === NEVER) hasNever = true;
  let nT = nTAll;
  let periodsDroppedNoNeverTreated = 0;
  if (!hasNever) {
    if (controlGroup === 'nevertreated') {
      // an unbalanced panel may have never-treated units that balancing removed: say so, not "none"
      let neverDropped = 0;
      for (let u = 0; u < nU; u++) if (!complete[u] && setup.unitCohort[u] === NEVER) neverDropped++;
      if (neverDropped > 0) {
        throw new Error(
          `attGt: none of the ${neverDropped} never-treated unit(s) is observed in every period (with no missing values), and the panel is balanced before estimation, so no never-treated units remain; ` +
            `use allowUnbalancedPanel, fill or drop the gaps, or controlGroup 'notyettreated'`,
        );
      }
      throw new Error(`attGt: there are no never-treated units; use controlGroup 'notyettreated'`);
    }
    let gMax = -Infinity;
    for (let u = 0; u < nU; u++) if (keep[u]) gMax = Math.max(gMax, cohort[u]!);
    nT = periods.filter((p) => p < gMax - anticipation).length;
    periodsDroppedNoNeverTreated = nTAll - nT;
    for (let u = 0; u < nU; u++) if (keep[u] && cohort[u] === gMax) cohort[u] = NEVER;
    periods = periods.slice(0, nT);
    warnings.push(`no never-treated units: cohort ${gMax} is used as the not-yet-treated control and ${periodsDroppedNoNeverTreated} period(s) from ${gMax - anticipation} on are dropped`);
  }

  // kept units in order
  const unitIdx: number[] = [];
  for (let u = 0; u < nU; u++) if (keep[u]) unitIdx.push(u);
  // units ordered by cohort (stable): every influence-function column is then zero outside a few
  // contiguous cohort blocks, which the pre-test's cross-products skip
  unitIdx.sort((a, b) => cohort[a]! - cohort[b]! || a - b);
  const n = unitIdx.length;
  if (n === 0) throw new Error('attGt: no units left after removing incomplete and always-treated units');
  const G = Float64Array.from(unitIdx, (u) => cohort[u]!);
  const W = Float64Array.from(unitIdx, (u) => (wCol ? wUnit[u]! : 1));
  let wMean = 0;
  for (const w of W) wMean += w;
  wMean /= n;
  for (let i = 0; i < n; i++) W[i]! /= wMean;
  const glist = [...new Set(G)].filter((g) => g !== NEVER).sort((a, b) => a - b);
  if (glist.length === 0) throw new Error('attGt: no treated cohort left to estimate');

  // Enumerate the cells first (did's loop), so the n x K influence matrix is allocated once.
  const cellList = planCells(glist, periods, basePeriod, anticipation, warnings);
  const K = cellList.length;
  const inf = new Float64Array(n * K);
  // period-major outcome for contiguous access: yByT[t][i]
  const yByT: Float64Array[] = [];
  for (let t = 0; t < nT; t++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = yMat[unitIdx[i]! * nTAll + t]!;
    yByT.push(col);
  }
  const out = emptyOutputs();
  let cellsNa = 0;
  // cohort rank per unit: glist index, or -1 for never treated (integer compares in the hot loop)
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) rank[i] = G[i] === NEVER ? -1 : glist.indexOf(G[i]!);
  // blockStart[r] = first unit of cohort rank r; blockStart[glist.length] = first never-treated unit
  const blockStart = new Int32Array(glist.length + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) blockStart[rank[i]! < 0 ? glist.length : rank[i]!] = i;
  for (let r = glist.length - 1; r >= 0; r--) if (blockStart[r]! > blockStart[r + 1]!) blockStart[r] = blockStart[r + 1]!;
  for (let k = 0; k < K; k++) {
    const cell = cellList[k]!;
    const { g, tIdx, pret, post } = cell;
    const tcur = periods[tIdx]!;
    const full = inf.subarray(k * n, (k + 1) * n);
    const record = (att: number, nt: number, nc: number): void => {
      out.group.push(g);
      out.time.push(tcur);
      out.baseTime.push(periods[pret]!);
      out.att.push(att);
      out.post.push(post);
      out.nTreated.push(nt);
      out.nControl.push(nc);
    };
    if (cell.zero) {
      record(0, 0, 0);
      continue;
    }
    const later = periods[Math.max(tIdx, pret)]!;
    const gRank = glist.indexOf(g);
    // not-yet-treated controls: cohorts ranked above every cohort adopting by later + delta
    let minCtrlRank = glist.length;
    if (controlGroup === 'notyettreated') {
      minCtrlRank = 0;
      while (minCtrlRank < glist.length && !(glist[minCtrlRank]! > later + anticipation)) minCtrlRank++;
    }
    // units are sorted by cohort, so the cell is the treated cohort's block plus contiguous control blocks
    const ranges: CellRange[] = [{ start: blockStart[gRank]!, end: blockStart[gRank + 1]!, treated: true }];
    const ctrlStart = blockStart[minCtrlRank]!;
    if (ctrlStart < ranges[0]!.start) ranges.push({ start: ctrlStart, end: ranges[0]!.start, treated: false });
    const afterTreated = Math.max(ctrlStart, ranges[0]!.end);
    if (afterTreated < n) ranges.push({ start: afterTreated, end: n, treated: false });
    let treatedCount = 0;
    let n1 = 0;
    for (const r of ranges) {
      n1 += r.end - r.start;
      if (r.treated) treatedCount += r.end - r.start;
    }
    const yt = yByT[tIdx]!;
    const yb = yByT[pret]!;
    let res: ReturnType<typeof twoByTwo> | null = null;
    if (xMats.length === 0) res = noCovariateCell(estMethod, yt, yb, ranges, W, full, n);
    if (res === null) {
      const inCell = new Int32Array(n1);
      const dY = new Float64Array(n1);
      const d = new Float64Array(n1);
      const w = new Float64Array(n1);
      const early = Math.min(tIdx, pret);
      const x: Float64Array[] = [new Float64Array(n1).fill(1)];
      for (let c = 0; c < xMats.length; c++) x.push(new Float64Array(n1));
      let j = 0;
      for (const r of ranges) {
        for (let i = r.start; i < r.end; i++, j++) {
          inCell[j] = i;
          dY[j] = yt[i]! - yb[i]!;
          d[j] = r.treated ? 1 : 0;
          w[j] = W[i]!;
          for (let c = 0; c < xMats.length; c++) x[c + 1]![j] = xMats[c]![unitIdx[i]! * nTAll + early]!;
        }
      }
      res = twoByTwo(estMethod, { deltaY: dY, d, x, w });
      if (res.ok) {
        const scale = n / n1;
        for (let m = 0; m < n1; m++) full[inCell[m]!] = scale * res.inf[m]!;
      }
    }
    if (!res.ok) {
      cellsNa++;
      warnings.push(`ATT(${g},${tcur}) is NA: ${res.reason}`);
      full.fill(Number.NaN);
      record(Number.NaN, treatedCount, n1 - treatedCount);
      continue;
    }
    record(res.att, treatedCount, n1 - treatedCount);
  }

  const clusterIds = clCol ? Int32Array.from(unitIdx, (u) => clUnit[u]!) : null;
  const clusterCodes = clusterIds ? recode(clusterIds) : null;
  return finishAttGt({
    spec: specOf(options, resolved),
    sampling: 'panel',
    out,
    inf,
    n,
    G,
    W,
    clusterCodes,
    ids: Int32Array.from(unitIdx),
    idKind: 'unit',
    clusterIds,
    periods,
    cohorts: glist,
    drops: { unitsIncomplete, unitsAlwaysTreated, unitsTreatedAfterSample, periodsDroppedNoNeverTreated, cellsNa, rowsIncomplete: 0 },
    warnings,
  });
}
