/**
 * Mechanism test (METHODS §15): the seed's three-step mediation regressions (Y on D; M on D; Y on M
 * alone as the seed does, or on D and M as Baron-Kenny), the Sobel statistic and a cluster-bootstrap
 * CI of a·b; printed with the caveat that step 3 is not causally identified, next to the
 * recommended alternative: each mediator as an outcome of the heterogeneity-robust BJS estimator.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { createRng } from '@panel-lab/compute';
import { feols, modelSpec, type FeolsResult } from '@panel-lab/regression';
import { pnormTwoSided } from '../internal/stats.js';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
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
  readonly bootstrapCi: { readonly low: number; readonly high: number; readonly draws: number } | null;
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

  const abOn = (d: PanelFrame, m: string, fe: string[]) => {
    const fa = feols(modelSpec({ lhs: m, terms: [D, ...controls], fixef: fe }), d, { vcov });
    const fb = feols(modelSpec({ lhs: options.outcome, terms: step3 === 'M_only' ? [m, ...controls] : [D, m, ...controls], fixef: fe }), d, { vcov });
    return { fa, fb };
  };
  const mediators = options.mediators.map((m): MediatorBlock => {
    const { fa, fb } = abOn(data, m, fixef);
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
      bootstrapCi: B > 0 ? bootstrapAb(data, setup.rowUnit, setup.nUnits, m, B, seed, alpha, abOn, frame.schema.time) : null,
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

/** Percentile CI of a·b from a unit-cluster bootstrap (each drawn unit gets its own FE level). */
function bootstrapAb(
  data: PanelFrame,
  rowUnit: Int32Array,
  nUnits: number,
  m: string,
  B: number,
  seed: number,
  alpha: number,
  abOn: (d: PanelFrame, m: string, fe: string[]) => { fa: FeolsResult; fb: FeolsResult },
  time: string,
): { low: number; high: number; draws: number } {
  const rowsOf: number[][] = Array.from({ length: nUnits }, () => []);
  rowUnit.forEach((u, r) => rowsOf[u]!.push(r));
  const rng = createRng(seed);
  const draws: number[] = [];
  for (let b = 0; b < B; b++) {
    const rows: number[] = [];
    const ids: number[] = [];
    for (let k = 0; k < nUnits; k++) {
      const u = rng.int(0, nUnits - 1);
      for (const r of rowsOf[u]!) (rows.push(r), ids.push(k));
    }
    const d = data.takeRows(Int32Array.from(rows)).withColumns({ boot_unit_: Float64Array.from(ids) });
    try {
      const { fa, fb } = abOn(d, m, ['boot_unit_', time]);
      const ja = fa.coefNames.indexOf(D);
      const jb = fb.coefNames.indexOf(m);
      if (ja >= 0 && jb >= 0) draws.push(fa.coefficients[ja]! * fb.coefficients[jb]!);
    } catch {
      // a draw without treated units cannot be estimated; it is counted by draws < B
    }
  }
  draws.sort((x, y) => x - y);
  const q = (p: number) => draws[Math.min(draws.length - 1, Math.max(0, Math.floor(p * (draws.length - 1))))]!;
  return Object.freeze({ low: q(alpha / 2), high: q(1 - alpha / 2), draws: draws.length });
}
