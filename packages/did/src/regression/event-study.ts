import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec, waldTest, type FeolsResult } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { eventCoef, eventColumn, type EventCoef } from './common.js';
import { supTCritical, type SimultaneousOptions } from './sup-t.js';

export type Endpoints = 'bin' | 'trim';

export interface EventStudyOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** Inclusive event-time window [lo, hi]; default the full observed range. Seed: [-4, 2]. */
  readonly window?: readonly [number, number];
  /** Reference (omitted) event time; default -1 (the seed uses -4). */
  readonly ref?: number;
  /** bin (default): treated observations outside the window go to the end bins; trim: they are dropped. */
  readonly endpoints?: Endpoints;
  readonly controls?: readonly string[];
  /** Default the unit. */
  readonly cluster?: readonly string[];
  readonly weights?: string;
  readonly alpha?: number;
  /** Uniform (sup-t) band over the event-time coefficients, drawn with this seed. Default none. */
  readonly simultaneous?: SimultaneousOptions;
}

export interface PretrendTest {
  /** Event times tested (all pre-period coefficients except the reference). */
  readonly eventTimes: readonly number[];
  readonly f: number;
  readonly df1: number;
  readonly df2: number;
  readonly pValue: number;
  readonly chi2: number;
  readonly pValueChi2: number;
}

export interface EventStudyResult {
  readonly kind: 'event_study';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly window: readonly [number, number];
    readonly ref: number;
    readonly endpoints: Endpoints;
    readonly controls: readonly string[];
    readonly cluster: readonly string[];
    readonly alpha: number;
  };
  /** One per estimated event time, sorted; the reference is not among them (it is 0 by construction). */
  readonly coefs: readonly EventCoef[];
  readonly pretest: PretrendTest | null;
  /** Sup-t critical value of the uniform band (null unless options.simultaneous). */
  readonly critValSimult: number | null;
  /** Treated-unit rows dropped by endpoints = 'trim'; event times with no observation. */
  readonly drops: { readonly rowsTrimmed: number; readonly emptyEventTimes: readonly number[] };
  readonly fit: FeolsResult;
}

const PREFIX = 'es_';

export interface EventStudyDesign {
  /** The frame with the event-time dummies added (rows outside the window dropped with 'trim'). */
  readonly data: PanelFrame;
  /** The dummies' column names, in event-time order, then the controls: the regressors. */
  readonly terms: readonly string[];
  /** Event time of each dummy (same order as the first terms). */
  readonly times: readonly number[];
  readonly window: readonly [number, number];
  readonly ref: number;
  readonly endpoints: Endpoints;
  readonly rowsTrimmed: number;
  readonly emptyEventTimes: readonly number[];
}

/**
 * The event study's regressors: relative-time dummies (binned or trimmed at the window's ends, the
 * reference left out) added to the frame. eventStudy fits y ~ terms | unit + time on it; the
 * multiple-testing bootstrap refits each dummy's null on the same design.
 */
export function eventStudyDesign(frame: PanelFrame, options: Omit<EventStudyOptions, 'outcome'>): EventStudyDesign {
  const setup = treatmentSetup(frame, options.treatment);
  const ref = options.ref ?? -1;
  const endpoints = options.endpoints ?? 'bin';
  const controls = options.controls ?? [];
  if (endpoints !== 'bin' && endpoints !== 'trim') throw new Error(`eventStudy: option endpoints must be 'bin' or 'trim', got '${String(endpoints)}'`);
  const last = setup.periods[setup.periods.length - 1]!;
  // event time per row; NaN for units never treated within the sample (they are controls)
  const rel = Float64Array.from(setup.relTime, (e, r) => (setup.unitCohort[setup.rowUnit[r]!]! > last ? Number.NaN : e));
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of rel) if (!Number.isNaN(e)) ((lo = Math.min(lo, e)), (hi = Math.max(hi, e)));
  if (!Number.isFinite(lo)) throw new Error('eventStudy: no treated unit is observed treated or before treatment in the sample');
  const window: [number, number] = options.window ? [options.window[0], options.window[1]] : [lo, hi];
  if (!(window[0] <= window[1])) throw new Error(`eventStudy: option window must be [lo, hi] with lo <= hi, got [${window.join(', ')}]`);
  if (ref < window[0] || ref > window[1]) throw new Error(`eventStudy: option ref ${ref} is outside the window [${window.join(', ')}]`);

  let rowsTrimmed = 0;
  const keep = new Uint8Array(setup.nRows).fill(1);
  const binned = new Float64Array(setup.nRows);
  for (let r = 0; r < setup.nRows; r++) {
    let e = rel[r]!;
    if (!Number.isNaN(e) && (e < window[0] || e > window[1])) {
      if (endpoints === 'trim') {
        keep[r] = 0;
        rowsTrimmed++;
      } else e = Math.min(window[1], Math.max(window[0], e));
    }
    binned[r] = e;
  }
  const times: number[] = [];
  const emptyEventTimes: number[] = [];
  const columns: Record<string, Float64Array> = {};
  for (let k = window[0]; k <= window[1]; k++) {
    if (k === ref) continue;
    const col = new Float64Array(setup.nRows);
    let any = false;
    for (let r = 0; r < setup.nRows; r++) if (binned[r] === k && keep[r]) ((col[r] = 1), (any = true));
    if (!any) {
      emptyEventTimes.push(k);
      continue;
    }
    times.push(k);
    columns[eventColumn(PREFIX, k)] = col;
  }
  let data = frame.withColumns(columns);
  if (rowsTrimmed > 0) data = data.filterRows((r) => keep[r] === 1);
  const terms = [...times.map((k) => eventColumn(PREFIX, k)), ...controls];
  return { data, terms, times, window, ref, endpoints, rowsTrimmed, emptyEventTimes };
}

/**
 * Event study with relative-time dummies (Beck, Levine & Levkov 2010 style, seed Figs 4-5):
 * y ~ sum_{k != ref} b_k 1{t - G = k} + X | unit + time, never-treated units as controls (all
 * dummies 0), CR1 SEs clustered by unit, and the joint Wald test of the pre-period b_k.
 */
export function eventStudy(frame: PanelFrame, options: EventStudyOptions): EventStudyResult {
  const { data, terms, times, window, ref, endpoints, rowsTrimmed, emptyEventTimes } = eventStudyDesign(frame, options);
  const alpha = options.alpha ?? 0.05;
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? [frame.schema.unit];
  const fit = feols(modelSpec({ lhs: options.outcome, terms, fixef: [frame.schema.unit, frame.schema.time] }), data, {
    vcov: { cluster: [...cluster] },
    ...(options.weights ? { weights: options.weights } : {}),
  });
  const coefs: EventCoef[] = [];
  for (const k of times) {
    const j = fit.coefNames.indexOf(eventColumn(PREFIX, k));
    if (j < 0) continue; // collinear: listed in fit.collinear
    coefs.push(eventCoef(eventColumn(PREFIX, k), k, null, fit.coefficients[j]!, fit.se[j]!, alpha, fit.dof.t));
  }
  const pre = coefs.filter((c) => c.eventTime < 0);
  let pretest: PretrendTest | null = null;
  if (pre.length > 0) {
    const w = waldTest(fit, pre.map((c) => c.term));
    pretest = Object.freeze({
      eventTimes: Object.freeze(pre.map((c) => c.eventTime)),
      f: w.stat,
      df1: w.df1,
      df2: w.df2,
      pValue: w.p,
      chi2: w.chi2,
      pValueChi2: w.pChi2,
    });
  }
  const critValSimult = options.simultaneous ? supTCritical(subVcov(fit, coefs.map((c) => c.term)), alpha, options.simultaneous) : null;
  return Object.freeze({
    kind: 'event_study' as const,
    spec: Object.freeze({
      outcome: options.outcome,
      treatment: options.treatment,
      window: Object.freeze(window) as readonly [number, number],
      ref,
      endpoints,
      controls: Object.freeze([...controls]),
      cluster: Object.freeze([...cluster]),
      alpha,
    }),
    coefs: Object.freeze(coefs),
    pretest,
    critValSimult,
    drops: Object.freeze({ rowsTrimmed, emptyEventTimes: Object.freeze(emptyEventTimes) }),
    fit,
  });
}

/** The covariance block of the named coefficients. */
export function subVcov(fit: FeolsResult, terms: readonly string[]): number[][] {
  const idx = terms.map((t) => fit.coefNames.indexOf(t));
  return idx.map((a) => idx.map((b) => fit.vcov[a]![b]!));
}
