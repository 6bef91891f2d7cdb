/**
 * Heterogeneity (METHODS §14): TWFE with D x Z for unit-level dummies Z (β_D, β_DxZ and the
 * effect for Z = 1, β_D + β_DxZ, with its SE from the covariance), and subgroup effects by a
 * categorical (pilot type): one pooled regression with type-specific D dummies, separate
 * regressions (type m + never-treated), or the heterogeneity-robust CS aggregation per subgroup.
 */
import type { PanelFrame } from '@panel-lab/panel';
import { feols, modelSpec } from '@panel-lab/regression';
import { aggte } from '../cs/aggte.js';
import { attGt } from '../cs/att-gt.js';
import { twfeDid } from '../regression/twfe.js';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { unitDummy, type UnitDummySpec } from './unit-dummy.js';

export interface SubgroupSpec {
  /** Unit-level categorical column (e.g. pilot type); read on treated units. */
  readonly column: string;
  /** 'pooled' (default): one regression, D x 1{type = m}; 'separate': TWFE on type m + never treated; 'cs': CS simple ATT on type m + never treated. */
  readonly mode?: 'pooled' | 'separate' | 'cs';
}

export interface HeterogeneityOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  readonly controls?: readonly string[];
  readonly interactions?: readonly UnitDummySpec[];
  readonly subgroups?: SubgroupSpec;
  readonly cluster?: string;
  readonly alpha?: number;
}

export interface InteractionBlock {
  readonly name: string;
  /** Rows: 'D', 'D x <name>', 'D + D x <name>' (effect where the dummy is 1). */
  readonly coefs: readonly RobustCoef[];
  readonly median: number | null;
  readonly unitsDropped: number;
  readonly nobs: number;
}

export interface SubgroupRow extends RobustCoef {
  readonly subgroup: string;
  readonly treatedUnits: number;
}

export interface HeterogeneityResult {
  readonly kind: 'heterogeneity_did';
  readonly spec: { readonly outcome: string; readonly treatment: TreatmentSpec; readonly controls: readonly string[]; readonly subgroupMode: string | null; readonly cluster: string; readonly alpha: number };
  readonly interactions: readonly InteractionBlock[];
  readonly subgroups: readonly SubgroupRow[];
  readonly meta: RobustMeta;
}

export function heterogeneityDid(frame: PanelFrame, options: HeterogeneityOptions): HeterogeneityResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const setup = treatmentSetup(frame, options.treatment);
  const controls = options.controls ?? [];
  const cluster = options.cluster ?? frame.schema.unit;
  const fixef = [frame.schema.unit, frame.schema.time];

  const interactions = (options.interactions ?? []).map((spec): InteractionBlock => {
    const z = unitDummy(frame, setup, spec);
    const keep: number[] = [];
    for (let r = 0; r < setup.nRows; r++) if (!Number.isNaN(z.values[setup.rowUnit[r]!]!)) keep.push(r);
    const dz = Float64Array.from(setup.treated, (d, r) => d * z.values[setup.rowUnit[r]!]!);
    const data = frame.withColumns({ het_d_: setup.treated, het_dz_: dz }).takeRows(Int32Array.from(keep));
    const fit = feols(modelSpec({ lhs: options.outcome, terms: ['het_d_', 'het_dz_', ...controls], fixef }), data, { vcov: { cluster: [cluster] } });
    const i = fit.coefNames.indexOf('het_d_');
    const j = fit.coefNames.indexOf('het_dz_');
    if (i < 0 || j < 0) throw new Error(`heterogeneityDid: D or D x ${spec.name} is collinear (${fit.collinear.join(', ')}); does '${spec.name}' vary among treated units?`);
    const b = fit.coefficients;
    const V = fit.vcov;
    const sum = b[i]! + b[j]!;
    const seSum = Math.sqrt(V[i]![i]! + V[j]![j]! + 2 * V[i]![j]!);
    const df = fit.dof.t;
    return Object.freeze({
      name: spec.name,
      coefs: Object.freeze([
        robustCoef('D', b[i]!, fit.se[i]!, { alpha, df }),
        robustCoef(`D x ${spec.name}`, b[j]!, fit.se[j]!, { alpha, df }),
        robustCoef(`D + D x ${spec.name}`, sum, seSum, { alpha, df }),
      ]),
      median: z.median,
      unitsDropped: z.unitsMissing,
      nobs: fit.nobs,
    });
  });

  const subgroups: SubgroupRow[] = [];
  if (options.subgroups) {
    const { column } = options.subgroups;
    const mode = options.subgroups.mode ?? 'pooled';
    if (!frame.has(column)) throw new Error(`heterogeneityDid: subgroup column '${column}' not found`);
    const codes = frame.codes(column);
    // unit -> level among treated units
    const unitLevel = new Int32Array(setup.nUnits).fill(-1);
    for (let r = 0; r < setup.nRows; r++) {
      const u = setup.rowUnit[r]!;
      if (!Number.isFinite(setup.unitCohort[u]!)) continue;
      const c = codes.codes[r]!;
      if (c < 0) throw new Error(`heterogeneityDid: subgroup column '${column}' is missing for treated unit '${setup.units[u]}' (row ${r})`);
      if (unitLevel[u]! >= 0 && unitLevel[u] !== c) throw new Error(`heterogeneityDid: subgroup column '${column}' varies within unit '${setup.units[u]}'`);
      unitLevel[u] = c;
    }
    const levels = [...new Set(Array.from(unitLevel).filter((c) => c >= 0))].sort((a, b) => codes.levels[a]!.localeCompare(codes.levels[b]!));
    const count = (c: number) => unitLevel.filter((x) => x === c).length;
    if (mode === 'pooled') {
      const cols: Record<string, Float64Array> = {};
      const names = levels.map((c, k) => {
        const name = `het_sub_${k}_`;
        cols[name] = Float64Array.from(setup.treated, (d, r) => (unitLevel[setup.rowUnit[r]!] === c ? d : 0));
        return name;
      });
      const fit = feols(modelSpec({ lhs: options.outcome, terms: [...names, ...controls], fixef }), frame.withColumns(cols), { vcov: { cluster: [cluster] } });
      levels.forEach((c, k) => {
        const j = fit.coefNames.indexOf(names[k]!);
        if (j < 0) return;
        const coef = robustCoef(`D x ${codes.levels[c]}`, fit.coefficients[j]!, fit.se[j]!, { alpha, df: fit.dof.t, n: fit.nobs });
        subgroups.push(Object.freeze({ ...coef, subgroup: codes.levels[c]!, treatedUnits: count(c) }));
      });
    } else {
      const idCol = '__het_cohort_';
      for (const c of levels) {
        const keep: number[] = [];
        for (let r = 0; r < setup.nRows; r++) {
          const u = setup.rowUnit[r]!;
          if (!Number.isFinite(setup.unitCohort[u]!) || unitLevel[u] === c) keep.push(r);
        }
        const cohortCol = Float64Array.from(setup.rowUnit, (u) => (Number.isFinite(setup.unitCohort[u]!) ? setup.unitCohort[u]! : 0));
        const sub = frame.withColumns({ [idCol]: cohortCol }).takeRows(Int32Array.from(keep));
        let coef: RobustCoef;
        if (mode === 'separate') {
          const r = twfeDid(sub, { outcome: options.outcome, treatment: { cohort: idCol }, controls, cluster: [cluster], alpha });
          coef = robustCoef(`D [${codes.levels[c]}]`, r.estimate, r.se, { alpha, df: r.fit.dof.t, n: r.fit.nobs });
        } else if (mode === 'cs') {
          const a = aggte(attGt(sub, { outcome: options.outcome, treatment: { cohort: idCol }, alpha }), { type: 'simple' });
          coef = robustCoef(`ATT [${codes.levels[c]}]`, a.overallAtt, a.overallSe, { alpha, n: keep.length });
        } else {
          throw new Error(`heterogeneityDid: subgroups.mode must be 'pooled', 'separate' or 'cs', got '${String(mode)}'`);
        }
        subgroups.push(Object.freeze({ ...coef, subgroup: codes.levels[c]!, treatedUnits: count(c) }));
      }
    }
  }
  return Object.freeze({
    kind: 'heterogeneity_did' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, controls: Object.freeze([...controls]), subgroupMode: options.subgroups ? (options.subgroups.mode ?? 'pooled') : null, cluster, alpha }),
    interactions: Object.freeze(interactions),
    subgroups: Object.freeze(subgroups),
    meta: robustMeta(t0),
  });
}
