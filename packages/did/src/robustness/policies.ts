/**
 * Other policies as controls and alternative timing codings (METHODS §9, seed Table 8 cols 2-3, 5-6):
 * the baseline TWFE DID with dummies 1{unit covered by policy p and t >= year_p} added, and the TWFE
 * DID with the treatment recoded (e.g. both pilot batches coded from the 2016 approval year).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { twfeDid } from '../regression/twfe.js';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';

export interface OtherPolicy {
  readonly name: string;
  /** Column with the unit's first year under the policy (0, missing or Infinity = never). */
  readonly yearColumn: string;
}

/** Row-aligned policy dummies 1{year_p > 0 and t >= year_p}. */
export function policyDummies(frame: PanelFrame, policies: readonly OtherPolicy[]): Record<string, Float64Array> {
  const time = frame.numeric(frame.schema.time);
  const out: Record<string, Float64Array> = {};
  for (const p of policies) {
    if (!frame.has(p.yearColumn)) throw new Error(`policy '${p.name}': column '${p.yearColumn}' not found`);
    const y = frame.numeric(p.yearColumn);
    out[`policy_${p.name}`] = Float64Array.from(y, (g, r) => (Number.isFinite(g) && g > 0 && time[r]! >= g ? 1 : 0));
  }
  return out;
}

export interface PolicyRobustnessOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  readonly controls?: readonly string[];
  /** Other policies entered as controls. */
  readonly otherPolicies?: readonly OtherPolicy[];
  /** Alternative timing: every treated unit coded as adopting in this year (a single-cohort DID). */
  readonly uniformYear?: number;
  readonly cluster?: readonly string[];
  readonly alpha?: number;
}

export interface PolicyRobustnessResult {
  readonly kind: 'policy_robustness';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly controls: readonly string[]; readonly otherPolicies: readonly OtherPolicy[]; readonly uniformYear: number | null; readonly alpha: number };
  /** One row per specification: baseline, with other policies (plus each policy's coefficient), alternative timing. */
  readonly coefs: readonly (RobustCoef & { readonly specification: 'baseline' | 'other_policies' | 'alternative_timing' })[];
  readonly meta: RobustMeta;
}

export function policyRobustness(frame: PanelFrame, options: PolicyRobustnessOptions): PolicyRobustnessResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const controls = options.controls ?? [];
  const cluster = options.cluster ? { cluster: options.cluster } : {};
  const rows: (RobustCoef & { specification: 'baseline' | 'other_policies' | 'alternative_timing' })[] = [];
  const base = twfeDid(frame, { outcome: options.outcome, treatment: options.treatment, controls, alpha, ...cluster });
  rows.push({ ...robustCoef('D', base.estimate, base.se, { alpha, df: base.fit.dof.t, n: base.fit.nobs }), specification: 'baseline' });
  const policies = options.otherPolicies ?? [];
  if (policies.length) {
    const dummies = policyDummies(frame, policies);
    const names = Object.keys(dummies);
    const r = twfeDid(frame.withColumns(dummies), { outcome: options.outcome, treatment: options.treatment, controls: [...controls, ...names], alpha, ...cluster });
    rows.push({ ...robustCoef('D', r.estimate, r.se, { alpha, df: r.fit.dof.t, n: r.fit.nobs }), specification: 'other_policies' });
    names.forEach((nm) => {
      const j = r.fit.coefNames.indexOf(nm);
      if (j < 0) throw new Error(`policyRobustness: ${nm} is collinear with the fixed effects (is it constant or identical to the treatment?)`);
      rows.push({ ...robustCoef(nm, r.fit.coefficients[j]!, r.fit.se[j]!, { alpha, df: r.fit.dof.t, n: r.fit.nobs }), specification: 'other_policies' });
    });
  }
  if (options.uniformYear !== undefined) {
    const setup = treatmentSetup(frame, options.treatment);
    const recoded = Float64Array.from(setup.rowUnit, (u) => (Number.isFinite(setup.unitCohort[u]!) ? options.uniformYear! : 0));
    const r = twfeDid(frame.withColumns({ uniform_cohort_: recoded }), { outcome: options.outcome, treatment: { cohort: 'uniform_cohort_' }, controls, alpha, ...cluster });
    rows.push({ ...robustCoef(`D (all treated from ${options.uniformYear})`, r.estimate, r.se, { alpha, df: r.fit.dof.t, n: r.fit.nobs }), specification: 'alternative_timing' });
  }
  return Object.freeze({
    kind: 'policy_robustness' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, controls: Object.freeze([...controls]), otherPolicies: Object.freeze([...policies]), uniformYear: options.uniformYear ?? null, alpha }),
    coefs: Object.freeze(rows.map((r) => Object.freeze(r))),
    meta: robustMeta(t0),
  });
}
