/**
 * Mechanism test (METHODS §15): the seed's three-step mediation regressions (Y on D; M on D; Y on M
 * alone as the seed does, or on D and M as Baron-Kenny), the Sobel statistic and a cluster-bootstrap
 * CI of a·b; printed with the caveat that step 3 is not causally identified, next to the
 * recommended alternative: each mediator as an outcome of the heterogeneity-robust BJS estimator.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec, type FeolsResult } from '@panel-lab/regression';
import { unitBootstrap, type DrawFailures } from '@panel-lab/resample';
import { pnormTwoSided } from '../internal/stats.js';
import { treatmentSetup, type TreatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { didImputation } from './imputation.js';

export const MECHANISM_CAVEAT =
  'Step 3 is not causally identified: the mediator is a post-treatment, endogenous variable, so its ' +
  'coefficient (and a·b) mixes the mechanism with selection (Jiang Ting 2022, China Industrial Economics). ' +
  'Read the mediator-as-outcome effects (heterogeneity-robust BJS imputation) as the evidence that the ' +
  'policy moved the mediator, and argue the M -> Y link from theory or prior evidence; for a formal ' +
  'decomposition use causal mediation analysis (Imai, Keele & Tingley 2010) with its sensitivity analysis.';

export interface MechanismOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  readonly mediators: readonly string[];
  readonly controls?: readonly string[];
  /** 'M_only' (seed, default): Y ~ M + X | FE; 'D_and_M' (Baron-Kenny): Y ~ D + M + X | FE. */
  readonly step3?: 'M_only' | 'D_and_M';
  /** Cluster-bootstrap draws for the CI of a·b (default 1000; 0 = none). */
  readonly bootstrap?: number;
  readonly seed?: number;
  readonly cluster?: string;
  readonly alpha?: number;
  /** Called as bootstrap draws finish (done counts over all mediators). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MediatorBlock {
  readonly mediator: string;
  /** Step 2: effect of D on M. */
  readonly a: RobustCoef;
  /** Step 3: coefficient of M (and of D when step3 = 'D_and_M'). */
  readonly b: RobustCoef;
  readonly direct: RobustCoef | null;
  readonly indirect: number;
  readonly sobel: { readonly z: number; readonly pValue: number };
  /** draws: the draws that gave a·b; requested − draws failed, with the first reasons in failures. */
  readonly bootstrapCi: { readonly low: number; readonly high: number; readonly draws: number; readonly requested: number; readonly failures: DrawFailures } | null;
  /** Recommended alternative: the BJS imputation ATT of D on the mediator. */
  readonly mediatorAsOutcome: RobustCoef;
}

export interface MechanismResult {
  readonly kind: 'mechanism_test';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly mediators: readonly string[]; readonly controls: readonly string[]; readonly step3: 'M_only' | 'D_and_M'; readonly bootstrap: number; readonly seed: number; readonly cluster: string; readonly alpha: number };
  /** Step 1: effect of D on Y. */
  readonly total: RobustCoef;
  readonly mediators: readonly MediatorBlock[];
  readonly caveat: string;
  readonly meta: RobustMeta;
}

const D = 'mech_d_';

function coefOf(fit: FeolsResult, term: string, label: string, alpha: number): RobustCoef {
  const j = fit.coefNames.indexOf(term);
  if (j < 0) throw new Error(`mechanismTest: '${label}' is collinear with the fixed effects or controls`);
  return robustCoef(label, fit.coefficients[j]!, fit.se[j]!, { alpha, df: fit.dof.t, n: fit.nobs });
}

export function mechanismTest(frame: PanelFrame, options: MechanismOptions): MechanismResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const step3 = options.step3 ?? 'M_only';
  const B = options.bootstrap ?? 1000;
  const seed = options.seed ?? 1;
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? frame.schema.unit;
  if (options.mediators.length === 0) throw new Error('mechanismTest: give at least one mediator');
  for (const c of [options.outcome, ...options.mediators, ...controls]) if (!frame.has(c)) throw new Error(`mechanismTest: column '${c}' not found`);
  const setup = treatmentSetup(frame, options.treatment);
  const data = frame.withColumns({ [D]: setup.treated });
  const fixef = [frame.schema.unit, frame.schema.time];
  const vcov = { cluster: [cluster] };
  const total = coefOf(feols(modelSpec({ lhs: options.outcome, terms: [D, ...controls], fixef }), data, { vcov }), D, 'D -> Y', alpha);

  const mediators = options.mediators.map((m, mi): MediatorBlock => {
    const fa = feols(modelSpec({ lhs: m, terms: [D, ...controls], fixef }), data, { vcov });
    const fb = feols(modelSpec({ lhs: options.outcome, terms: step3 === 'M_only' ? [m, ...controls] : [D, m, ...controls], fixef }), data, { vcov });
    const progress = options.onProgress;
    const onProgress = progress ? (done: number) => progress(mi * B + done, options.mediators.length * B) : undefined;
    const a = coefOf(fa, D, `D -> ${m}`, alpha);
    const b = coefOf(fb, m, `${m} -> Y`, alpha);
    const direct = step3 === 'D_and_M' ? coefOf(fb, D, 'D -> Y | M', alpha) : null;
    const z = (a.estimate * b.estimate) / Math.sqrt(b.estimate ** 2 * a.se ** 2 + a.estimate ** 2 * b.se ** 2);
    const alt = didImputation(frame, { outcome: m, treatment: options.treatment, alpha, ...(controls.length ? { controls } : {}) }).coefs[0]!;
    return Object.freeze({
      mediator: m,
      a,
      b,
      direct,
      indirect: a.estimate * b.estimate,
      sobel: Object.freeze({ z, pValue: pnormTwoSided(z) }),
      bootstrapCi: B > 0 ? bootstrapAb(frame, setup, m, { outcome: options.outcome, controls, step3, draws: B, seed, alpha, onProgress }) : null,
      mediatorAsOutcome: robustCoef(`ATT on ${m} (BJS)`, alt.estimate, alt.se, { alpha, n: alt.n }),
    });
  });
  return Object.freeze({
    kind: 'mechanism_test' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, mediators: Object.freeze([...options.mediators]), controls: Object.freeze([...controls]), step3, bootstrap: B, seed, cluster, alpha }),
    total,
    mediators: Object.freeze(mediators),
    caveat: MECHANISM_CAVEAT,
    meta: robustMeta(t0, seed),
  });
}

/**
 * Percentile CI of a·b from a unit-cluster bootstrap (each drawn unit with its own FE level), run
 * as frequency-weighted regressions over per-unit Gram matrices: no data frame per draw.
 */
function bootstrapAb(frame: PanelFrame, setup: TreatmentSetup, m: string, opts: BootstrapInputs): NonNullable<MediatorBlock['bootstrapCi']> {
  const time = frame.codes(frame.schema.time);
  const controls = opts.controls.map((c) => frame.numeric(c));
  const mediator = frame.numeric(m);
  const outcome = frame.numeric(opts.outcome);
  const stepA = { label: `step 2 (${m} on D)`, lhs: mediator, rhs: [setup.treated, ...controls], rhsNames: [D, ...opts.controls] };
  const stepB =
    opts.step3 === 'M_only'
      ? { label: `step 3 (Y on ${m})`, lhs: outcome, rhs: [mediator, ...controls], rhsNames: [m, ...opts.controls] }
      : { label: `step 3 (Y on D and ${m})`, lhs: outcome, rhs: [setup.treated, mediator, ...controls], rhsNames: [D, m, ...opts.controls] };
  const boot = unitBootstrap({
    design: { unit: setup.rowUnit, nUnits: setup.nUnits, time: time.codes, nTimes: time.levels.length },
    regressions: [stepA, stepB],
    keep: [[D], [m]],
    draws: opts.draws,
    seed: opts.seed,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const [a, b] = [boot.coefficients[0]![0]!, boot.coefficients[1]![0]!];
  const draws: number[] = [];
  for (let i = 0; i < opts.draws; i++) if (Number.isFinite(a[i]!) && Number.isFinite(b[i]!)) draws.push(a[i]! * b[i]!);
  draws.sort((x, y) => x - y);
  const q = (p: number) => (draws.length ? draws[Math.min(draws.length - 1, Math.max(0, Math.floor(p * (draws.length - 1))))]! : Number.NaN);
  return Object.freeze({ low: q(opts.alpha / 2), high: q(1 - opts.alpha / 2), draws: draws.length, requested: opts.draws, failures: boot.failures });
}

interface BootstrapInputs {
  readonly outcome: string;
  readonly controls: readonly string[];
  readonly step3: 'M_only' | 'D_and_M';
  readonly draws: number;
  readonly seed: number;
  readonly alpha: number;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}
