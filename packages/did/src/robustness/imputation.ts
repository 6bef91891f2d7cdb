/**
 * Borusyak, Jaravel & Spiess (2024) imputation estimator, as R didimputation: fit y ~ X | FE on
 * untreated rows, impute Y(0) for treated rows, average τ̂_it = y_it − Ŷ_it(0) with equal weights
 * (static) or per horizon. Conservative clustered variance with the implicit weights v_it and
 * residuals recentred by the v²-weighted cohort x horizon mean (BJS eq. 8-10). Intervals as didimputation
 * reports them (estimate ± 1.96·SE, its only level, also for the pre-trend leads) or from the normal
 * (t for the leads) quantile on request; p-values are normal (the package reports none for the effects).
 */
import type { PanelFrame } from '@panel-lab/panel';
import { feols, waldTest } from '@panel-lab/regression';
import { treatmentSetup, type TreatmentSpec } from '../treatment.js';
import { checkAlpha, clusterCodes, robustCoef, robustMeta, type RobustCoef, type RobustMeta } from './common.js';
import { controlColumns, feCodes } from './design.js';
import { SubsampleFe, usableRows } from './subsample-fe.js';

export interface DidImputationOptions {
  readonly outcome: string;
  readonly treatment: TreatmentSpec;
  readonly fixedEffects?: readonly string[];
  readonly controls?: readonly string[];
  /** Horizons (event times >= 0) to report; true = every horizon observed. The static ATT is always reported. */
  readonly horizons?: readonly number[] | true;
  /** Number of leads k = 1..K for the pre-trend test on untreated rows (0 = none, default). */
  readonly pretrends?: number;
  readonly cluster?: string;
  readonly alpha?: number;
  /**
   * 'didimputation' (default): intervals estimate ± 1.96·SE as the package (which has no level option:
   * with alpha ≠ 0.05 the normal quantile is used, and the notes say so); 'normal': the normal
   * quantile of alpha, and t(G − 1) for the pre-trend leads as their fixest fit.
   */
  readonly inference?: DidImputationInference;
}

export type DidImputationInference = 'didimputation' | 'normal';

export interface ImputationPretrendTest {
  readonly leads: readonly RobustCoef[];
  readonly stat: number;
  readonly df1: number;
  readonly df2: number;
  readonly pValue: number;
}

export interface DidImputationResult {
  readonly kind: 'did_imputation';
  readonly spec: {
    readonly outcome: string;
    readonly treatment: TreatmentSpec;
    readonly fixedEffects: readonly string[];
    readonly controls: readonly string[];
    readonly cluster: string;
    readonly alpha: number;
    readonly inference: DidImputationInference;
  };
  /** First row 'treat' (static ATT), then 'event_time::h' rows. */
  readonly coefs: readonly RobustCoef[];
  readonly nobs: number;
  readonly nTreated: number;
  readonly nFirstStage: number;
  readonly drops: { readonly missing: number; readonly notIdentified: number };
  readonly pretrend: ImputationPretrendTest | null;
  /** The inference convention, in words, for table notes. */
  readonly notes: readonly string[];
  readonly meta: RobustMeta & { readonly iterations: number; readonly converged: boolean };
}

export function didImputation(frame: PanelFrame, options: DidImputationOptions): DidImputationResult {
  const t0 = performance.now();
  const alpha = checkAlpha(options.alpha);
  const inference = options.inference ?? 'didimputation';
  if (inference !== 'didimputation' && inference !== 'normal') throw new Error(`didImputation: option inference must be 'didimputation' or 'normal', got '${String(inference)}'`);
  const crit = packageCrit(inference, alpha);
  const setup = treatmentSetup(frame, options.treatment);
  const feNames = options.fixedEffects ?? [frame.schema.unit, frame.schema.time];
  const fe = feCodes(frame, feNames, 'didImputation');
  const controlNames = options.controls ?? [];
  const controls = controlColumns(frame, controlNames, 'didImputation controls');
  const cluster = options.cluster ?? frame.schema.unit;
  const cl = clusterCodes(frame, cluster);
  if (!frame.has(options.outcome)) throw new Error(`didImputation: outcome column '${options.outcome}' not found`);
  const y = frame.numeric(options.outcome);
  const n = setup.nRows;

  const usable = usableRows(y, controls);
  const missing = usable.reduce((s, v) => s + (v ? 0 : 1), 0);
  const s = new Uint8Array(n);
  for (let r = 0; r < n; r++) s[r] = usable[r] && setup.treated[r] === 0 ? 1 : 0;
  const solver = new SubsampleFe(fe.codes, fe.sizes, s, controls);
  if (solver.rows.length === 0) throw new Error('didImputation: no untreated observation to fit the first stage');
  const fit = solver.fitOn(y);

  // residuals: first-stage residual on untreated rows, τ̂ on treated rows
  const { used, resid, notIdentified, nobs } = solver.residuals(fit, y, usable, 0);
  let nTreated = 0;
  for (let r = 0; r < n; r++) if (used[r] && setup.treated[r] === 1) nTreated++;
  if (nTreated === 0) throw new Error('didImputation: no treated observation with an identified counterfactual');
  const treatedUsed = (r: number) => used[r] === 1 && setup.treated[r] === 1;

  // estimands: static, then each horizon
  const horizonsSeen = new Set<number>();
  for (let r = 0; r < n; r++) if (treatedUsed(r)) horizonsSeen.add(setup.relTime[r]!);
  const allH = [...horizonsSeen].sort((a, b) => a - b);
  const wanted = options.horizons === true ? allH : (options.horizons ?? []);
  for (const h of wanted) if (!horizonsSeen.has(h)) throw new Error(`didImputation: horizon ${h} has no treated observation; horizons observed: ${allH.join(', ')}`);
  const estimands: { term: string; eventTime: number | null; select: (r: number) => boolean }[] = [
    { term: 'treat', eventTime: null, select: treatedUsed },
    ...wanted.map((h) => ({ term: `event_time::${h}`, eventTime: h, select: (r: number) => treatedUsed(r) && setup.relTime[r] === h })),
  ];
  const coefs = estimands.map((est) => {
    let count = 0;
    for (let r = 0; r < n; r++) if (est.select(r)) count++;
    const w = new Float64Array(n);
    let estimate = 0;
    for (let r = 0; r < n; r++) if (est.select(r)) (w[r] = 1 / count), (estimate += resid[r]! / count);
    const se = imputationSe(solver, setup.unitCohort, setup.rowUnit, setup.relTime, setup.treated, used, w, resid, cl.codes, cl.n);
    return robustCoef(est.term, estimate, se, { alpha, eventTime: est.eventTime, n: count, ...(crit === undefined ? {} : { crit }) });
  });

  const K = options.pretrends ?? 0;
  const pretrend = K > 0 ? pretrendTest(frame, setup.relTime, s, options.outcome, feNames, controlNames, cluster, K, alpha, inference) : null;
  const level = `${100 * (1 - alpha)}%`;
  const notes = [
    inference === 'normal'
      ? `${level} intervals from the normal quantile (didimputation reports estimate ± 1.96·SE); pre-trend leads from t(G − 1)`
      : crit === undefined
        ? `${level} intervals from the normal quantile: didimputation reports only estimate ± 1.96·SE (95%)`
        : '95% intervals estimate ± 1.96·SE, as didimputation reports them (pre-trend leads too)',
    'p-values from the normal distribution (didimputation reports none for the effects); pre-trend leads and their Wald test from the clustered fixest fit, t(G − 1) and F',
  ];
  return Object.freeze({
    kind: 'did_imputation' as const,
    spec: Object.freeze({ outcome: options.outcome, treatment: options.treatment, fixedEffects: Object.freeze([...feNames]), controls: Object.freeze([...controlNames]), cluster, alpha, inference }),
    coefs: Object.freeze(coefs),
    nobs,
    nTreated,
    nFirstStage: solver.rows.length,
    drops: Object.freeze({ missing, notIdentified }),
    pretrend,
    notes: Object.freeze(notes),
    meta: Object.freeze({ ...robustMeta(t0), iterations: solver.iterations, converged: solver.converged }),
  });
}

/** didimputation hard-codes ± 1.96·SE; it has no other level to match (undefined: the quantile of alpha). */
function packageCrit(inference: DidImputationInference, alpha: number): number | undefined {
  return inference === 'didimputation' && alpha === 0.05 ? 1.96 : undefined;
}

/** BJS conservative variance Σ_c (Σ_{it∈c} v_it ε̃_it)² for one weight vector w (zero off the estimand). */
function imputationSe(
  solver: SubsampleFe,
  unitCohort: Float64Array,
  rowUnit: Int32Array,
  relTime: Float64Array,
  treated: Float64Array,
  used: Uint8Array,
  w: Float64Array,
  resid: Float64Array,
  cluster: Int32Array,
  nClusters: number,
): number {
  const n = w.length;
  const isT = (r: number) => used[r] === 1 && treated[r] === 1;
  // v on untreated rows: −Z_0 (Z_0'Z_0)⁻¹ Z_1'w_1
  const proj = solver.solve(solver.levelSums(w, isT), solver.controlSums(w, isT));
  const v = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    if (!used[r]) continue;
    v[r] = treated[r] === 1 ? w[r]! : -solver.predict(proj, r);
  }
  // τ̄ by cohort x horizon, weighted by v²
  const num = new Map<string, number>();
  const den = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    if (!isT(r)) continue;
    const key = `${unitCohort[rowUnit[r]!]}|${relTime[r]}`;
    const v2 = v[r]! * v[r]!;
    num.set(key, (num.get(key) ?? 0) + v2 * resid[r]!);
    den.set(key, (den.get(key) ?? 0) + v2);
  }
  const sums = new Float64Array(nClusters);
  for (let r = 0; r < n; r++) {
    if (!used[r]) continue;
    let e = resid[r]!;
    if (treated[r] === 1) {
      const key = `${unitCohort[rowUnit[r]!]}|${relTime[r]}`;
      const d = den.get(key)!;
      if (d > 0) e -= num.get(key)! / d;
    }
    sums[cluster[r]!]! += v[r]! * e;
  }
  let total = 0;
  for (const x of sums) total += x * x;
  return Math.sqrt(total);
}

/** BJS pre-trend test: leads 1{e = -k}, k = 1..K, added to the first stage on untreated rows; cluster Wald test. */
function pretrendTest(
  frame: PanelFrame,
  relTime: Float64Array,
  firstStage: Uint8Array,
  outcome: string,
  feNames: readonly string[],
  controlNames: readonly string[],
  cluster: string,
  K: number,
  alpha: number,
  inference: DidImputationInference,
): ImputationPretrendTest {
  const leads: Record<string, Float64Array> = {};
  const names: string[] = [];
  for (let k = 1; k <= K; k++) {
    const col = new Float64Array(relTime.length);
    for (let r = 0; r < relTime.length; r++) col[r] = relTime[r] === -k ? 1 : 0;
    const name = `pretrend_lead_${k}`;
    leads[name] = col;
    names.push(name);
  }
  const rows: number[] = [];
  for (let r = 0; r < firstStage.length; r++) if (firstStage[r]) rows.push(r);
  const data = frame.withColumns(leads).takeRows(Int32Array.from(rows));
  const fit = feols(`${outcome} ~ ${[...names, ...controlNames].join(' + ')} | ${feNames.join(' + ')}`, data, { vcov: { cluster: [cluster] } });
  const kept = names.filter((nm) => fit.coefNames.includes(nm));
  if (kept.length === 0) throw new Error('didImputation: no pre-trend lead is estimable (no untreated row K periods before adoption)');
  const wald = waldTest(fit, kept);
  const leadsOut = kept.map((nm) => {
    const j = fit.coefNames.indexOf(nm);
    const lead = Number(nm.slice('pretrend_lead_'.length));
    const crit = packageCrit(inference, alpha);
    return robustCoef(`lead::${lead}`, fit.coefficients[j]!, fit.se[j]!, { alpha, df: fit.dof.t, eventTime: -lead, ...(crit === undefined ? {} : { crit }) });
  });
  return Object.freeze({ leads: Object.freeze(leadsOut), stat: wald.stat, df1: wald.df1, df2: wald.df2, pValue: wald.p });
}
