import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec, type FeolsResult } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { criticalT, pTwoSided } from './common.js';

export interface TwfeOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  readonly controls?: readonly string[];
  /** Cluster columns; default the unit (CR1 with fixest's small-sample correction). */
  readonly cluster?: readonly string[];
  readonly weights?: string;
  readonly alpha?: number;
}

export interface TwfeResult {
  readonly kind: 'twfe_did';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly controls: readonly string[]; readonly cluster: readonly string[]; readonly alpha: number };
  readonly estimate: number;
  readonly se: number;
  readonly statistic: number;
  readonly pValue: number;
  readonly confLow: number;
  readonly confHigh: number;
  /** The full regression (controls' coefficients, vcov, nobs, within R2, clusters, drops). */
  readonly fit: FeolsResult;
}

/** Name of the treatment dummy added to the frame. */
export const TREAT_COLUMN = 'did_treated_';

/**
 * Static TWFE DID (seed Table 3): y ~ D + X | unit + time with cluster-robust SEs, D = 1{t >= G}
 * built from the treatment setup, estimated by the regression core's feols.
 */
export function twfeDid(frame: PanelFrame, options: TwfeOptions): TwfeResult {
  const setup = treatmentSetup(frame, options.treatment);
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? [frame.schema.unit];
  const alpha = options.alpha ?? 0.05;
  const data = frame.withColumns({ [TREAT_COLUMN]: setup.treated });
  const spec = modelSpec({ lhs: options.outcome, terms: [TREAT_COLUMN, ...controls], fixef: [frame.schema.unit, frame.schema.time] });
  const fit = feols(spec, data, {
    vcov: { cluster: [...cluster] },
    ...(options.weights ? { weights: options.weights } : {}),
  });
  const j = fit.coefNames.indexOf(TREAT_COLUMN);
  if (j < 0) throw new Error(`twfeDid: the treatment dummy is collinear with the fixed effects or controls (${fit.collinear.join(', ')})`);
  const estimate = fit.coefficients[j]!;
  const se = fit.se[j]!;
  const q = criticalT(alpha, fit.dof.t);
  return Object.freeze({
    kind: 'twfe_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, controls: Object.freeze([...controls]), cluster: Object.freeze([...cluster]), alpha }),
    estimate,
    se,
    statistic: estimate / se,
    pValue: pTwoSided(estimate / se, fit.dof.t),
    confLow: estimate - q * se,
    confHigh: estimate + q * se,
    fit,
  });
}
