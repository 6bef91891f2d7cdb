import type { PanelFrame } from '@panel-lab/panel';

/**
 * A TWFE problem as plain arrays: y = beta D + controls + unit FE + time FE, with D built from each
 * unit's first treated period. Rows with a missing outcome, control or cluster are dropped and counted.
 */
export interface TwfeArrays {
  readonly y: Float64Array;
  readonly controls: readonly Float64Array[];
  readonly controlNames: readonly string[];
  /** Unit code per row, 0..N-1 (dense over the kept rows). */
  readonly unit: Int32Array;
  /** Period index per row, 0..T-1 into periods. */
  readonly time: Int32Array;
  readonly periods: readonly number[];
  readonly unitLabels: readonly string[];
  /**
   * Per unit: index of the first treated period (0..T-1), T when treated after the last period,
   * -1 when never treated. D_it = 1 when unitStart[i] >= 0 and time index >= unitStart[i].
   */
  readonly unitStart: Int32Array;
  /** Cluster code per row (default: the unit) and the number of clusters. */
  readonly cluster: Int32Array;
  readonly nClusters: number;
  readonly clusterName: string;
  readonly dropped: Readonly<{ missing: number }>;
}

export interface TwfeColumns {
  readonly outcome: string;
  /** Column with each unit's first treated period (0, missing or Infinity = never treated). */
  readonly cohort: string;
  readonly controls?: readonly string[];
  /** Cluster variable; default the panel's unit column. */
  readonly cluster?: string;
}

/** True when a cohort value means "never treated". */
export function isNeverCohort(v: number): boolean {
  return Number.isNaN(v) || v === 0 || v === Number.POSITIVE_INFINITY;
}

function requireNumeric(frame: PanelFrame, name: string, option: string): Float64Array {
  if (!frame.has(name)) throw new Error(`${option}: column '${name}' not found; columns are: ${frame.columnNames.join(', ')}`);
  if (frame.isCategorical(name)) throw new Error(`${option}: column '${name}' is categorical, expected numeric`);
  return frame.numeric(name);
}

/** Plain arrays of a TWFE problem from a panel frame. */
export function twfeArrays(frame: PanelFrame, spec: TwfeColumns): TwfeArrays {
  const y0 = requireNumeric(frame, spec.outcome, 'option outcome');
  const cohort0 = requireNumeric(frame, spec.cohort, 'option cohort');
  const controlNames = [...(spec.controls ?? [])];
  const controls0 = controlNames.map((c) => requireNumeric(frame, c, 'option controls'));
  const time0 = requireNumeric(frame, frame.schema.time, 'panel time');
  const unitCodes = frame.codes(frame.schema.unit);
  const clusterName = spec.cluster ?? frame.schema.unit;
  if (!frame.has(clusterName)) throw new Error(`option cluster: column '${clusterName}' not found; columns are: ${frame.columnNames.join(', ')}`);
  const clusterCodes = frame.codes(clusterName).codes;
  const keep: number[] = [];
  for (let r = 0; r < frame.nrows; r++) {
    if (unitCodes.codes[r]! < 0) throw new Error(`unit column '${frame.schema.unit}' is missing at row ${r}`);
    if (!Number.isFinite(time0[r]!)) throw new Error(`time column '${frame.schema.time}' is missing at row ${r}`);
    if (!Number.isFinite(y0[r]!) || controls0.some((c) => !Number.isFinite(c[r]!)) || clusterCodes[r]! < 0) continue;
    keep.push(r);
  }
  if (keep.length === 0) throw new Error(`no complete rows: every row misses '${spec.outcome}', a control or the cluster`);
  const periods = Array.from(new Set(keep.map((r) => time0[r]!))).sort((a, b) => a - b);
  const periodIndex = new Map(periods.map((p, k) => [p, k]));
  const unitMap = new Map<number, number>();
  const clusterMap = new Map<number, number>();
  const n = keep.length;
  const unit = new Int32Array(n);
  const time = new Int32Array(n);
  const cluster = new Int32Array(n);
  const unitLabels: string[] = [];
  const unitCohort: number[] = [];
  keep.forEach((r, i) => {
    const u = unitCodes.codes[r]!;
    let code = unitMap.get(u);
    const g = cohort0[r]!;
    if (code === undefined) {
      code = unitMap.size;
      unitMap.set(u, code);
      unitLabels.push(unitCodes.levels[u]!);
      unitCohort.push(g);
    } else if (!(isNeverCohort(g) && isNeverCohort(unitCohort[code]!)) && g !== unitCohort[code]) {
      throw new Error(`option cohort: column '${spec.cohort}' changes within unit '${unitCodes.levels[u]}' (row ${r}: ${g}, earlier ${unitCohort[code]})`);
    }
    unit[i] = code;
    time[i] = periodIndex.get(time0[r]!)!;
    const c = clusterCodes[r]!;
    let cc = clusterMap.get(c);
    if (cc === undefined) {
      cc = clusterMap.size;
      clusterMap.set(c, cc);
    }
    cluster[i] = cc;
  });
  const T = periods.length;
  const unitStart = Int32Array.from(unitCohort, (g) => {
    if (isNeverCohort(g)) return -1;
    const k = periods.findIndex((p) => p >= g);
    return k < 0 ? T : k;
  });
  return Object.freeze({
    y: Float64Array.from(keep, (r) => y0[r]!),
    controls: controls0.map((c) => Float64Array.from(keep, (r) => c[r]!)),
    controlNames,
    unit,
    time,
    periods,
    unitLabels,
    unitStart,
    cluster,
    nClusters: clusterMap.size,
    clusterName,
    dropped: Object.freeze({ missing: frame.nrows - n }),
  });
}
