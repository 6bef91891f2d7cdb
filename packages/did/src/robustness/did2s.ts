/**
 * Gardner (2022) two-stage DID as R did2s: first stage y ~ X | FE on untreated rows, second stage
 * of the residualised outcome on D (static) or on relative-period dummies (event study), with the
 * GMM-corrected cluster variance (no small-sample factor). Inference as did2s reports it (fixest's
 * summary with a custom vcov: t(n - K) p-values and intervals, n second-stage rows, K coefficients),
 * or the normal reference on request.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, clusterCodes, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { controlColumns, eventDummies, feCodes } from './design.js';
import { twoStage, type TwoStageDrops } from './two-stage-core.js';

export interface Did2sEventStudy {
  /** Relative periods left out (default [-1]); [] keeps every period (did2s `ref = Inf`). */
  readonly ref?: readonly number[];
  /** Bin relative periods outside [lo, hi] into the ends. */
  readonly window?: readonly [number, number];
}

export interface Did2sOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  /** First-stage fixed effects (default unit + time). */
  readonly fixedEffects?: readonly string[];
  /** First-stage controls (time-varying covariates). */
  readonly controls?: readonly string[];
  /** 'static' (default) or an event study. */
  readonly secondStage?: 'static' | { readonly eventStudy: Did2sEventStudy };
  /** Cluster column (default the unit). */
  readonly cluster?: string;
  readonly alpha?: number;
  /** 'did2s' (default): t(n − K) p-values and intervals, as the package; 'normal': the normal reference. */
  readonly inference?: Did2sInference;
}

export type Did2sInference = 'did2s' | 'normal';

export interface Did2sResult {
  readonly kind: 'did2s';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly fixedEffects: readonly string[];
    readonly controls: readonly string[];
    readonly secondStage: 'static' | 'event_study';
    readonly ref: readonly number[] | null;
    readonly cluster: string;
    readonly alpha: number;
    readonly inference: Did2sInference;
  };
  readonly coefs: readonly RobustCoef[];
  readonly vcov: readonly (readonly number[])[];
  readonly collinear: readonly string[];
  readonly nobs: number;
  readonly nFirstStage: number;
  readonly nClusters: number;
  readonly drops: TwoStageDrops & { readonly binned: number };
  readonly firstStageControls: Readonly<Record<string, number>>;
  /** The inference convention, in words, for table notes. */
  readonly notes: readonly string[];
  readonly meta: RobustMeta & { readonly iterations: number; readonly converged: boolean };
}

export function did2s(frame: PanelFrame, options: Did2sOptions): Did2sResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const inference = options.inference ?? 'did2s';
  if (inference !== 'did2s' && inference !== 'normal') throw new Error(`did2s: option inference must be 'did2s' or 'normal', got '${String(inference)}'`);
  const setup = treatmentSetup(frame, options.treatment);
  const feNames = options.fixedEffects ?? [frame.schema.unit, frame.schema.time];
  const fe = feCodes(frame, feNames, 'did2s');
  const controlNames = options.controls ?? [];
  const controls = controlColumns(frame, controlNames, 'did2s controls');
  const cluster = options.cluster ?? frame.schema.unit;
  const cl = clusterCodes(frame, cluster);
  if (!frame.has(options.outcome)) throw new Error(`did2s: outcome column '${options.outcome}' not found`);
  const y = frame.numeric(options.outcome);
  const untreated = new Uint8Array(setup.nRows);
  for (let r = 0; r < setup.nRows; r++) untreated[r] = setup.treated[r] === 1 ? 0 : 1;

  const stage = options.secondStage ?? 'static';
  let x2: Float64Array[];
  let x2Names: string[];
  let eventTimes: (number | null)[];
  let ref: readonly number[] | null = null;
  let binned = 0;
  if (stage === 'static') {
    x2 = [setup.treated];
    x2Names = ['treat'];
    eventTimes = [null];
  } else {
    ref = stage.eventStudy.ref ?? [-1];
    const d = eventDummies(setup, ref, stage.eventStudy.window);
    x2 = d.columns;
    x2Names = d.names;
    eventTimes = d.eventTimes;
    binned = d.binned;
    if (x2.length === 0) throw new Error('did2s: no relative period left for the event study (every period is a reference)');
  }
  const out = twoStage({
    y,
    fe: fe.codes,
    feNames: fe.names,
    sizes: fe.sizes,
    controls,
    controlNames,
    firstStage: untreated,
    x2,
    x2Names,
    cluster: cl.codes,
    nClusters: cl.n,
  });
  const k = out.names.length;
  // fixest: df.t = max(nobs - nparams, 1) when summary() is given a vcov matrix
  const df = inference === 'did2s' ? Math.max(out.nobs - k, 1) : Number.POSITIVE_INFINITY;
  const coefs = out.names.map((name, a) =>
    robustCoef(name, out.coef[a]!, Math.sqrt(out.vcov[a * k + a]!), { alpha, df, eventTime: eventTimes[x2Names.indexOf(name)] ?? null }),
  );
  const notes = [
    inference === 'did2s'
      ? `p-values and ${100 * (1 - alpha)}% intervals from t(${df}) = t(n − K), n = ${out.nobs} second-stage observations, K = ${k} coefficients, as did2s (fixest) reports them`
      : `p-values and ${100 * (1 - alpha)}% intervals from the normal distribution (did2s itself uses t(n − K))`,
    `SEs: GMM-corrected, clustered by ${cluster} (${out.nClustersUsed} clusters), no small-sample factor`,
  ];
  return Object.freeze({
    kind: 'did2s' as const,
    spec: Object.freeze({
      outcome: options.outcome,
      treatment: options.treatment,
      fixedEffects: Object.freeze([...feNames]),
      controls: Object.freeze([...controlNames]),
      secondStage: stage === 'static' ? ('static' as const) : ('event_study' as const),
      ref: ref ? Object.freeze([...ref]) : null,
      cluster,
      alpha,
      inference,
    }),
    coefs: Object.freeze(coefs),
    vcov: Object.freeze(Array.from({ length: k }, (_, i) => Object.freeze(Array.from(out.vcov.subarray(i * k, i * k + k))))),
    collinear: Object.freeze([...out.collinear]),
    nobs: out.nobs,
    nFirstStage: out.nFirstStage,
    nClusters: out.nClustersUsed,
    drops: Object.freeze({ ...out.drops, binned }),
    firstStageControls: Object.freeze({ ...out.firstStageControls }),
    notes: Object.freeze(notes),
    meta: Object.freeze({ ...robustMeta(t0), iterations: out.iterations, converged: out.converged }),
  });
}
