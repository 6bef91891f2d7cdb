import { createRng, sampleWithoutReplacement, type Rng } from '@panel-lab/compute';
import { accumulatedLocalEffects } from './ale.js';
import { rowMajor, type Design } from './design.js';
import { fitAnnEnsemble, type AnnEnsemble, type EnsembleOptions } from './ensemble.js';
import type { MinibatchInfo } from './mlp-core.js';
import { OverrideEvaluator } from './partial-dependence.js';
import { capRows, DEFAULT_PD_ROWS, evaluatorOnRows } from './pd-rows.js';
import { finishResult, quantile, quantileSorted, type PlotSeries, type ResultMethods, type TidyRow } from './result.js';

export interface SubgroupSpec {
  /** Name of the grouping (e.g. 'city_size_class'). */
  readonly variable: string;
  /** Label per design row. */
  readonly labels: readonly string[];
}

export interface NetEffectOptions extends Omit<EnsembleOptions, 'members'> {
  /** Focal input (the DE index). */
  readonly focal: string;
  /** Bootstrap replicates = ensemble members (default 200). */
  readonly replicates?: number;
  readonly gridPoints?: number;
  /** 'percentile' (default: 1st–99th percentiles) or 'minmax'. */
  readonly gridRange?: 'percentile' | 'minmax';
  /** 'pd' (partial dependence, default) or 'at_means'. */
  readonly method?: 'pd' | 'at_means';
  /**
   * Curve type: 'pd' (default: partial dependence, or at-means with method 'at_means') or 'ale' (accumulated
   * local effects, Apley & Zhu 2020, on the same grid; centred to mean 0 over the rows, so read its level
   * as a deviation; slope, change and turning points are unaffected by the centring). Surfaces stay PD.
   */
  readonly effect?: 'pd' | 'ale';
  /** Grid index of the reference level for the significance of the change (default 0, the lowest point). */
  readonly referenceIndex?: number;
  readonly alpha?: number;
  /** Conditioning inputs for the 2-D surfaces (seed: GDP pc, FDI pc, tech attention, innovation). */
  readonly conditioning?: readonly string[];
  readonly surfaceGridPoints?: number;
  /**
   * Rows averaged per surface cell (seeded subsample; default all). A 30×30 surface over 2,457 rows and
   * 200 members is ~3.5e9 unit evaluations on CPU, so large runs may set this.
   */
  readonly surfaceRows?: number;
  /** Called after each grid point of the curve (onEpoch reports the training before it). */
  readonly onGridPoint?: (done: number, total: number) => void;
  readonly subgroups?: readonly SubgroupSpec[];
  /**
   * Rows averaged by the PD curve and by each subgroup curve (default DEFAULT_PD_ROWS): a seeded
   * subsample without replacement when there are more; all rows otherwise (the seed's scale).
   */
  readonly pdRows?: number;
}

interface Band { readonly estimate: number[]; readonly lo: number[]; readonly hi: number[]; readonly sd: number[] }

export interface TurningPoint {
  readonly x: number;
  readonly kind: 'maximum' | 'minimum';
  /** Replicates with a turning point of the same kind within the band below. */
  readonly bootstrapShare: number;
  /** Percentiles (alpha/2, 0.5, 1-alpha/2) of the nearest same-kind turning point across replicates. */
  readonly lo: number;
  readonly median: number;
  readonly hi: number;
}

export interface Surface {
  readonly conditioning: string;
  readonly x: number[];
  readonly c: number[];
  /** Row per c level, column per x level: ensemble-mean partial dependence. */
  readonly z: number[][];
  readonly contourLevels: number[];
  readonly rowsUsed: number;
}

export interface SubgroupCurve {
  readonly variable: string;
  readonly level: string;
  readonly nRows: number;
  /** Rows the curve and the fitted values average over (nRows, or pdRows when the subgroup is larger). */
  readonly rowsUsed: number;
  readonly curve: Band;
  /** Median over the subgroup's rows of the ensemble-mean fitted value, with bootstrap percentile CI. */
  readonly medianFitted: { readonly estimate: number; readonly lo: number; readonly hi: number };
  /** Five-number summary of the ensemble-mean fitted values (box plot). */
  readonly fittedBox: { readonly min: number; readonly q1: number; readonly median: number; readonly q3: number; readonly max: number };
}

export interface NetEffectData {
  readonly kind: 'ann_net_effect';
  readonly procedure: 'annBootstrapNetEffect';
  readonly focal: string;
  readonly method: 'pd' | 'at_means';
  readonly effect: 'pd' | 'ale';
  /** ALE only: rows per grid interval (rows outside the grid range join the end intervals). */
  readonly aleIntervalCounts: number[] | null;
  readonly alpha: number;
  readonly grid: number[];
  readonly curve: Band;
  readonly slope: Band;
  readonly turningPoints: TurningPoint[];
  /** Share of replicates whose slope changes sign at least once. */
  readonly shareWithTurningPoint: number;
  readonly reference: { readonly index: number; readonly x: number };
  /** PD_b(x_k) − PD_b(x_ref): band and whether it excludes 0. */
  readonly change: Band & { readonly significant: boolean[]; readonly significantFrom: number | null };
  readonly surfaces: Surface[];
  readonly subgroups: SubgroupCurve[];
  readonly meta: {
    readonly engine: string;
    readonly replicates: number;
    readonly resample: string;
    readonly seed: number;
    readonly somMode: string;
    /** batchRows: rows per gradient step, null = full batch. */
    readonly experts: { readonly hidden: number; readonly trainRows: number; readonly epochsRun: number; readonly meanBestEpoch: number; readonly batchRows: number | null }[];
    readonly somQuantizationError: number | null;
    readonly somTopographicError: number | null;
    readonly nRows: number;
    readonly droppedRows: number;
    readonly membersWithoutValidation: number;
    /** Whether each replicate refitted its own SOM (METHODS §19.1.3). */
    readonly refitSom: boolean;
    /** Rows the PD curve averaged over (all nRows unless more than pdRows; 1 with method 'at_means'). */
    readonly pdRows: number;
    /** Minibatch training: rows per gradient step and validation subset, or null when every expert trained full batch. */
    readonly minibatch: MinibatchInfo | null;
  };
}
export type NetEffectResult = NetEffectData & ResultMethods;

/**
 * METHODS §19 (labelled "RAB" by seed 002; the label matches no published algorithm): B bootstrap networks
 * trained as one batched ensemble, then partial dependence of the focal input with percentile bands, slope and
 * turning points, change from a reference level, conditional surfaces and subgroup curves.
 */
export async function annBootstrapNetEffect(design: Design, opts: NetEffectOptions): Promise<NetEffectResult> {
  const p = design.names.length;
  const focal = design.names.indexOf(opts.focal);
  if (focal < 0) throw new Error(`option focal: '${opts.focal}' is not an input (${design.names.join(', ')})`);
  const B = opts.replicates ?? 200;
  const alpha = opts.alpha ?? 0.05;
  const K = opts.gridPoints ?? 50;
  if (!(Number.isInteger(K) && K >= 3)) throw new Error(`option gridPoints must be an integer >= 3, got ${K}`);
  const somMode = opts.som?.mode ?? 'experts';
  // METHODS §19.1.3: refit the SOM per replicate by default (only meaningful with SOM experts / stacked).
  const refitSom = opts.refitSom ?? (somMode === 'experts' || somMode === 'stacked');
  const model = await fitAnnEnsemble(design, { ...opts, members: B, resample: opts.resample ?? (design.groups ? 'groups' : 'rows'), refitSom });
  const raw = rowMajor(design);
  const n = design.n;
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const method = opts.method ?? 'pd';
  const col = (j: number) => design.x.subarray(j * n, (j + 1) * n);
  const grid = makeGrid(col(focal), K, opts.gridRange ?? 'percentile');
  const pdCap = opts.pdRows ?? DEFAULT_PD_ROWS;
  if (!(Number.isInteger(pdCap) && pdCap >= 1)) throw new Error(`option pdRows must be a positive integer, got ${pdCap}`);
  // Above the cap, the evaluator holds only the sampled rows (its state is rows × M·h).
  const capped = method === 'pd' && n > pdCap;
  const pdSample = capped ? capRows(allRows, pdCap, createRng(opts.seed).stream(8)) : allRows;
  // at_means: evaluate at one synthetic row holding every input at its mean.
  const evalRaw = method === 'pd' ? raw : Float64Array.from({ length: p }, (_, j) => mean(col(j)));
  const evaluator = capped ? evaluatorOnRows(model, raw, p, pdSample) : new OverrideEvaluator(model, evalRaw, method === 'pd' ? n : 1);
  const evalRows = method === 'pd' ? (capped ? Int32Array.from(pdSample, (_, r) => r) : allRows) : Int32Array.of(0);
  const focalValues = capped ? Float64Array.from(pdSample, (i) => col(focal)[i]!) : col(focal);
  const effect = opts.effect ?? 'pd';
  if (effect !== 'pd' && effect !== 'ale') throw new Error(`option effect must be 'pd' or 'ale', got '${effect}'`);
  if (effect === 'ale' && method !== 'pd') throw new Error("option effect 'ale' needs method 'pd' (ALE averages over the observed rows)");
  const meanAt = (rows: Int32Array, value: number) => evaluator.meanOver(rows, [{ col: focal, value }]);
  const ale = effect === 'ale' ? accumulatedLocalEffects(focalValues, grid, B, meanAt) : null;
  // Subgroup PD curves are means of the curve's own per-row predictions over the level's rows among
  // the curve's rows (all rows below the cap: the same sums as a separate pass), so the networks run
  // once per grid point. Above the cap a level's curve uses its rows in the curve's seeded subsample.
  const shareRows = !ale && method === 'pd' && (opts.subgroups ?? []).length > 0;
  const curveRowIndex = capped ? pdSample : allRows;
  const levelCurves = shareRows ? subgroupLevels(opts.subgroups!, n, curveRowIndex) : [];
  const perRow = shareRows ? new Float64Array(evalRows.length * B) : undefined;
  let gridDone = 0;
  const nextGridPoint = () => ++gridDone;
  const pd = ale
    ? ale.curves
    : grid.map((g) => {
      const curveAt = evaluator.meanOver(evalRows, [{ col: focal, value: g }], perRow); // B
      for (const lv of levelCurves) lv.curve.push(levelMeans(perRow!, lv.rows, B));
      opts.onGridPoint?.(nextGridPoint(), K);
      return curveAt;
    }); // K × B
  const curve = band(pd, alpha);
  const slopes = slopeMatrix(pd, grid, B);
  const slope = band(slopes, alpha);
  const refIdx = opts.referenceIndex ?? 0;
  if (!(Number.isInteger(refIdx) && refIdx >= 0 && refIdx < K)) throw new Error(`option referenceIndex must be in 0..${K - 1}, got ${refIdx}`);
  const diffs = pd.map((row) => Float64Array.from(row, (v, b) => v - pd[refIdx]![b]!));
  const change = band(diffs, alpha);
  const significant = change.lo.map((lo, k) => k !== refIdx && (lo > 0 || change.hi[k]! < 0));
  let significantFrom: number | null = null;
  for (let k = K - 1; k >= 0 && significant[k]; k--) significantFrom = grid[k]!;

  const { turningPoints, shareWithTurningPoint } = turning(slope.estimate, slopes, grid, B, alpha);
  const surfaces = (opts.conditioning ?? []).map((name) => surface(model, design, raw, focal, name, opts));
  // Each level's subsample draws in turn from one stream (levels in sorted order, so it is reproducible).
  const sub: SubgroupRows = { cap: pdCap, rng: createRng(opts.seed).stream(9), shared: capped ? null : evaluator, curveEvaluator: evaluator, model, raw };
  const subgroups = (opts.subgroups ?? []).flatMap((spec, si) => subgroupCurves(spec, sub, design, focal, grid, B, alpha, method, effect, levelCurves.filter((l) => l.spec === si)));
  const data: NetEffectData = {
    kind: 'ann_net_effect', procedure: 'annBootstrapNetEffect', focal: opts.focal, method, effect,
    aleIntervalCounts: ale ? ale.intervalCounts : null, alpha, grid,
    curve, slope, turningPoints, shareWithTurningPoint, reference: { index: refIdx, x: grid[refIdx]! },
    change: { ...change, significant, significantFrom }, surfaces, subgroups,
    meta: {
      engine: model.engine, replicates: B, resample: model.resample, seed: opts.seed, somMode: model.somMode,
      experts: model.experts.map((e) => ({ hidden: e.hidden, trainRows: e.trainRows, epochsRun: e.epochsRun, meanBestEpoch: e.meanBestEpoch, batchRows: e.minibatch?.batchRows ?? null })),
      somQuantizationError: model.som?.quantizationError ?? null, somTopographicError: model.som?.topographicError ?? null,
      nRows: n, droppedRows: design.droppedRows, membersWithoutValidation: model.membersWithoutValidation, refitSom: model.refitSom,
      pdRows: evalRows.length, minibatch: model.experts.find((e) => e.minibatch)?.minibatch ?? null,
    },
  };
  return finishResult(data, { tidy: tidyNetEffect, plotData: plotNetEffect });
}

function makeGrid(x: Float64Array, K: number, range: 'percentile' | 'minmax'): number[] {
  const sorted = Float64Array.from(x).sort();
  const lo = range === 'percentile' ? quantileSorted(sorted, 0.01) : sorted[0]!;
  const hi = range === 'percentile' ? quantileSorted(sorted, 0.99) : sorted[sorted.length - 1]!;
  if (!(hi > lo)) throw new Error('focal input has no spread over the grid range');
  return Array.from({ length: K }, (_, k) => lo + ((hi - lo) * k) / (K - 1));
}

function band(rows: readonly Float64Array[], alpha: number): Band {
  const estimate: number[] = [], lo: number[] = [], hi: number[] = [], sd: number[] = [];
  for (const row of rows) {
    const m = mean(row);
    let ss = 0;
    for (const v of row) ss += (v - m) ** 2;
    const sorted = Float64Array.from(row).sort();
    estimate.push(m);
    sd.push(row.length > 1 ? Math.sqrt(ss / (row.length - 1)) : 0);
    lo.push(quantileSorted(sorted, alpha / 2));
    hi.push(quantileSorted(sorted, 1 - alpha / 2));
  }
  return { estimate, lo, hi, sd };
}

/** Central differences inside the grid, one-sided at the ends. */
function slopeMatrix(pd: readonly Float64Array[], grid: number[], B: number): Float64Array[] {
  const K = grid.length;
  return grid.map((_, k) => {
    const a = Math.max(0, k - 1);
    const b = Math.min(K - 1, k + 1);
    return Float64Array.from({ length: B }, (_, m) => (pd[b]![m]! - pd[a]![m]!) / (grid[b]! - grid[a]!));
  });
}

function signChanges(s: ArrayLike<number>, grid: number[]): { x: number; kind: 'maximum' | 'minimum' }[] {
  const out: { x: number; kind: 'maximum' | 'minimum' }[] = [];
  for (let k = 0; k + 1 < s.length; k++) {
    const a = s[k]!;
    const b = s[k + 1]!;
    if (a === 0 || b === 0 || Math.sign(a) === Math.sign(b)) continue;
    // linear interpolation of the zero crossing
    out.push({ x: grid[k]! + ((grid[k + 1]! - grid[k]!) * a) / (a - b), kind: a > 0 ? 'maximum' : 'minimum' });
  }
  return out;
}

function turning(meanSlope: number[], slopes: Float64Array[], grid: number[], B: number, alpha: number) {
  const perRep = Array.from({ length: B }, (_, b) => signChanges(slopes.map((row) => row[b]!), grid));
  const shareWithTurningPoint = perRep.filter((tp) => tp.length > 0).length / B;
  const turningPoints: TurningPoint[] = signChanges(meanSlope, grid).map((tp) => {
    const nearest = perRep.flatMap((reps) => {
      const same = reps.filter((r) => r.kind === tp.kind);
      if (!same.length) return [];
      return [same.reduce((a, b) => (Math.abs(a.x - tp.x) <= Math.abs(b.x - tp.x) ? a : b)).x];
    });
    return {
      ...tp, bootstrapShare: nearest.length / B,
      lo: quantile(nearest, alpha / 2), median: quantile(nearest, 0.5), hi: quantile(nearest, 1 - alpha / 2),
    };
  });
  return { turningPoints, shareWithTurningPoint };
}

function surface(model: AnnEnsemble, design: Design, raw: Float64Array, focal: number, name: string, opts: NetEffectOptions): Surface {
  const cj = design.names.indexOf(name);
  if (cj < 0) throw new Error(`option conditioning: '${name}' is not an input`);
  if (cj === focal) throw new Error(`option conditioning: '${name}' is the focal input`);
  const n = design.n;
  const p = design.names.length;
  const G = opts.surfaceGridPoints ?? 30;
  let rows: Int32Array = Int32Array.from({ length: n }, (_, i) => i);
  if (opts.surfaceRows !== undefined && opts.surfaceRows < n) {
    rows = sampleWithoutReplacement(createRng(opts.seed).stream(7), n, opts.surfaceRows).sort();
  }
  const sub = new Float64Array(rows.length * p);
  rows.forEach((i, r) => sub.set(raw.subarray(i * p, (i + 1) * p), r * p));
  const ev = new OverrideEvaluator(model, sub, rows.length);
  const all = Int32Array.from({ length: rows.length }, (_, i) => i);
  const x = makeGrid(design.x.subarray(focal * n, (focal + 1) * n), G, 'percentile');
  const c = makeGrid(design.x.subarray(cj * n, (cj + 1) * n), G, 'percentile');
  const z = c.map((cv) => x.map((xv) => mean(ev.meanOver(all, [{ col: focal, value: xv }, { col: cj, value: cv }]))));
  const sorted = Float64Array.from(z.flat()).sort();
  const contourLevels = Array.from({ length: 10 }, (_, k) => quantileSorted(sorted, (k + 1) / 11));
  return { conditioning: name, x, c, z, contourLevels, rowsUsed: rows.length };
}

/** How subgroup curves get their rows: the shared all-rows evaluator while no cap binds, else one evaluator per level's subsample. */
interface SubgroupRows {
  readonly cap: number;
  readonly rng: Rng;
  readonly shared: OverrideEvaluator | null;
  /** The curve's evaluator (over its own rows, capped or not), for levels whose curve comes from it. */
  readonly curveEvaluator: OverrideEvaluator;
  readonly model: AnnEnsemble;
  readonly raw: Float64Array;
}

/** One subgroup level's rows and, filled grid point by grid point, its PD curve (K × B). */
interface LevelCurve {
  readonly spec: number;
  readonly level: string;
  readonly rows: Int32Array;
  readonly curve: Float64Array[];
}

function levelsOf(spec: SubgroupSpec): string[] {
  return [...new Set(spec.labels)].sort();
}

/** Each level's positions among the curve's rows (rowIndex: position -> design row); levels absent there are left out. */
function subgroupLevels(specs: readonly SubgroupSpec[], n: number, rowIndex: Int32Array): LevelCurve[] {
  return specs.flatMap((spec, si) => {
    if (spec.labels.length !== n) return []; // subgroupCurves reports the mismatch
    return levelsOf(spec).flatMap((level) => {
      const rows = Int32Array.from(Array.from(rowIndex).flatMap((i, r) => (spec.labels[i] === level ? [r] : [])));
      return rows.length ? [{ spec: si, level, rows, curve: [] }] : [];
    });
  });
}

/** Per member, the mean of perRow (rows × B) over `rows`, summed in row order as meanOver does. */
function levelMeans(perRow: Float64Array, rows: Int32Array, B: number): Float64Array {
  const acc = new Float64Array(B);
  for (const i of rows) for (let b = 0; b < B; b++) acc[b] = acc[b]! + perRow[i * B + b]!;
  for (let b = 0; b < B; b++) acc[b] = acc[b]! / rows.length;
  return acc;
}

function subgroupCurves(spec: SubgroupSpec, src: SubgroupRows, design: Design, focal: number, grid: number[], B: number, alpha: number, method: string, effect: 'pd' | 'ale', shared: readonly LevelCurve[]): SubgroupCurve[] {
  if (method !== 'pd') throw new Error("subgroups need method 'pd'");
  if (spec.labels.length !== design.n) throw new Error(`subgroup '${spec.variable}' has ${spec.labels.length} labels, expected ${design.n}`);
  return levelsOf(spec).map((level) => {
    const levelRows = Int32Array.from(spec.labels.flatMap((l, i) => (l === level ? [i] : [])));
    const pre = shared.find((l) => l.level === level);
    const precomputed = pre?.curve;
    // Shared with the curve: its evaluator and the level's positions among its rows. Otherwise no cap
    // bound anywhere: the shared evaluator and design row indices; or this level's own evaluator.
    const sample = pre ? pre.rows : capRows(levelRows, src.cap, src.rng);
    const ev = pre ? src.curveEvaluator : (src.shared ?? evaluatorOnRows(src.model, src.raw, design.names.length, sample));
    const rows = pre || src.shared ? sample : Int32Array.from(sample, (_, r) => r);
    const curve = band(effect === 'ale'
      ? accumulatedLocalEffects(Array.from(sample, (i) => design.x[focal * design.n + i]!), grid, B, (sub, value) => ev.meanOver(Int32Array.from(sub, (r) => rows[r]!), [{ col: focal, value }])).curves
      : (precomputed ?? grid.map((g) => ev.meanOver(rows, [{ col: focal, value: g }]))), alpha);
    const fitted = new Float64Array(rows.length * B);
    ev.meanOver(rows, [], fitted);
    const ensembleMean = Float64Array.from({ length: rows.length }, (_, r) => {
      let s = 0;
      for (let b = 0; b < B; b++) s += fitted[r * B + b]!;
      return s / B;
    });
    const medians = Float64Array.from({ length: B }, (_, b) => quantile(Float64Array.from({ length: rows.length }, (_, r) => fitted[r * B + b]!), 0.5));
    const sorted = Float64Array.from(ensembleMean).sort();
    return {
      variable: spec.variable, level, nRows: levelRows.length, rowsUsed: rows.length, curve,
      medianFitted: { estimate: quantileSorted(sorted, 0.5), lo: quantile(medians, alpha / 2), hi: quantile(medians, 1 - alpha / 2) },
      fittedBox: { min: sorted[0]!, q1: quantileSorted(sorted, 0.25), median: quantileSorted(sorted, 0.5), q3: quantileSorted(sorted, 0.75), max: sorted[sorted.length - 1]! },
    };
  });
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function tidyNetEffect(r: NetEffectData): TidyRow[] {
  const rows: TidyRow[] = r.grid.map((x, k) => ({
    term: r.focal, group: 'all', x, estimate: r.curve.estimate[k]!, std_error: r.curve.sd[k]!,
    conf_low: r.curve.lo[k]!, conf_high: r.curve.hi[k]!, slope: r.slope.estimate[k]!, slope_low: r.slope.lo[k]!,
    slope_high: r.slope.hi[k]!, change: r.change.estimate[k]!, change_low: r.change.lo[k]!, change_high: r.change.hi[k]!,
    change_significant: r.change.significant[k]!,
  }));
  for (const s of r.subgroups) {
    r.grid.forEach((x, k) => rows.push({
      term: r.focal, group: `${s.variable}=${s.level}`, x, estimate: s.curve.estimate[k]!, std_error: s.curve.sd[k]!,
      conf_low: s.curve.lo[k]!, conf_high: s.curve.hi[k]!, slope: null, slope_low: null, slope_high: null,
      change: null, change_low: null, change_high: null, change_significant: null,
    }));
  }
  return rows;
}

function plotNetEffect(r: NetEffectData) {
  const s = (name: string, b: Band, extra: Record<string, unknown> = {}): PlotSeries => ({ name, x: r.grid, estimate: b.estimate, lo: b.lo, hi: b.hi, ...extra });
  return {
    series: [
      s('net_effect', r.curve, { turning_points: r.turningPoints.map((t) => t.x) }),
      s('slope', r.slope),
      s('change_from_reference', r.change, { ref: r.reference.x }),
      ...r.subgroups.map((g) => s(`${g.variable}=${g.level}`, g.curve, { median_fitted: g.medianFitted })),
    ],
    surfaces: r.surfaces.map((f) => ({ name: `${r.focal} x ${f.conditioning}`, x: f.x, y: f.c, z: f.z, contour_levels: f.contourLevels })),
  };
}
