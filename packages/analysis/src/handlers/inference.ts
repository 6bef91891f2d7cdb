import { z } from 'zod';

/**
 * Spec fields for the inference options the estimators share (vcov, small-sample correction,
 * clustering, level, weights), declared once so every handler spells them alike.
 */

const VCOV_TYPES = ['iid', 'hetero', 'HC1', 'cluster', 'twoway', 'NW', 'DK', 'CR2', 'CR3', 'conley'] as const;

const names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** fixest-style vcov: a type name, or an object with the type and its variables/options (regression's VcovSpec). */
export const vcovField = z
  .union([
    z.enum(VCOV_TYPES),
    z
      .object({
        type: z.enum(VCOV_TYPES),
        cluster: names.optional().describe('cluster variable(s) (cluster, twoway, CR2, CR3)'),
        lag: z.number().int().min(0).optional().describe('NW / DK lag (default floor(T^(1/4)), fixest); Conley: serial lag cut-off of the space x time estimator (Bartlett in lags, 0 = same-period spatial only; absent = fixest Conley)'),
        unit: z.string().min(1).optional().describe('NW and Conley with lag: unit variable (default the first fixed effect)'),
        time: z.string().min(1).optional().describe('NW / DK and Conley with lag: time variable (default the second fixed effect)'),
        lat: z.string().min(1).optional().describe("Conley: latitude column (default 'lat')"),
        lon: z.string().min(1).optional().describe("Conley: longitude column (default 'lon')"),
        cutoff: z.number().positive().optional().describe('Conley: cut-off distance in km'),
        distance: z.enum(['triangular', 'spherical']).optional().describe("Conley distance (default 'triangular', fixest)"),
        kernel: z.enum(['uniform', 'bartlett']).optional().describe("Conley weights (default 'uniform', fixest)"),
      })
      .strict(),
  ])
  .describe('variance estimator as fixest vcov: a name (iid, hetero, cluster, twoway, NW, DK, CR2, CR3, conley) or { type, cluster, lag, ... }');

/** fixest ssc(): every field optional, defaults as fixest 0.14 (kAdj, 'nonnested', gAdj, 'min', 'min'). */
export const sscField = z
  .object({
    kAdj: z.boolean().optional().describe('multiply by (n - 1) / (n - K) (default true)'),
    kFixef: z.enum(['nonnested', 'full', 'none']).optional().describe("fixed-effect parameters counted in K (default 'nonnested')"),
    gAdj: z.boolean().optional().describe('multiply clustered vcovs by G / (G - 1) (default true)'),
    gDf: z.enum(['min', 'conventional']).optional().describe("multi-way clustering G adjustment (default 'min')"),
    tDf: z.union([z.enum(['min', 'conventional']), z.number().positive()]).optional().describe("t reference df (default 'min': G - 1 when clustered)"),
  })
  .strict()
  .describe('small-sample correction (fixest ssc())');

/** One cluster column (the estimators that take one). */
export const clusterField = z.string().min(1).describe('cluster column (default the unit, as the library)');

/** One or more cluster columns (the estimators that take several). */
export const clustersField = names.describe('cluster column(s) (default the unit, as the library)');

export const alphaField = z.number().gt(0).lt(1).default(0.05).describe('significance level of the confidence intervals (default 0.05, as the library)');

export const weightsField = z.string().min(1).describe('numeric column of observation weights (default unweighted)');

/** A cluster field given as one name or several, as the array the library takes. */
export function clusterList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

/** The Callaway-Sant'Anna ATT(g,t) options, shared by callaway_santanna, cs_placebo and timing_shift (library defaults). */
export const csFields = {
  covariates: z.array(z.string().min(1)).default([]).describe('covariates, taken at the base period of each 2x2 (default none)'),
  controlGroup: z.enum(['nevertreated', 'notyettreated']).default('nevertreated'),
  estMethod: z.enum(['dr', 'ipw', 'reg']).default('dr'),
  basePeriod: z.enum(['varying', 'universal']).default('varying'),
  anticipation: z.number().int().min(0).default(0),
  weights: weightsField.optional().describe('time-invariant sampling-weights column (default unweighted)'),
  panel: z.boolean().default(true).describe("false: repeated cross-sections (did's panel = FALSE); default true, as the library"),
  allowUnbalancedPanel: z.boolean().default(false).describe("keep units not observed in every period (did's allow_unbalanced_panel); default false, as the library"),
};

/** The library's ATT(g,t) options from the csFields of a spec entry. */
export function csOptionsOf(o: { covariates: string[]; controlGroup: 'nevertreated' | 'notyettreated'; estMethod: 'dr' | 'ipw' | 'reg'; basePeriod: 'varying' | 'universal'; anticipation: number; weights?: string | undefined; panel: boolean; allowUnbalancedPanel: boolean }) {
  return { covariates: o.covariates, controlGroup: o.controlGroup, estMethod: o.estMethod, basePeriod: o.basePeriod, anticipation: o.anticipation, panel: o.panel, allowUnbalancedPanel: o.allowUnbalancedPanel, ...(o.weights ? { weights: o.weights } : {}) };
}
