/**
 * tidy / summary / plotData for the robustness results, with the same fixed columns as the core's
 * DidTidyRow (broom names plus group, time, event_time and the simultaneous band, null here).
 */
import type { DidTidyRow, EventPlotPoint, SummaryDoc } from '../results.js';
import type { BalanceResult, DensitySeries } from './balance.js';
import { critical, type RobustCoef } from './common.js';
import type { DidMultiplegtResult } from './dcdh-didm.js';
import type { DidMultiplegtDynResult } from './dcdh-dyn.js';
import type { Did2sResult } from './did2s.js';
import type { HeterogeneityResult } from './heterogeneity.js';
import type { DidImputationResult } from './imputation.js';
import type { MechanismResult } from './mechanism.js';
import type { PolicyRobustnessResult } from './policies.js';
import type { PropensityResult } from './propensity.js';
import type { PsmDidResult } from './psm-did.js';
import type { SpatialDidResult, SpatialRingsResult } from './spatial.js';
import type { StackedDidResult } from './stacked.js';
import type { TwowayFeWeightsResult } from './twfe-weights.js';

/** Results with coefficient rows. */
export type RobustEstimate =
  | Did2sResult
  | DidImputationResult
  | DidMultiplegtDynResult
  | DidMultiplegtResult
  | StackedDidResult
  | SpatialDidResult
  | PropensityResult
  | PsmDidResult
  | HeterogeneityResult
  | MechanismResult
  | PolicyRobustnessResult;

export type RobustResult = RobustEstimate | TwowayFeWeightsResult | SpatialRingsResult | BalanceResult;

function coefsOf(r: RobustEstimate): readonly RobustCoef[] {
  switch (r.kind) {
    case 'did_multiplegt_dyn':
      return [...r.placebos].reverse().concat(r.effects, [r.averageTotalEffect]);
    case 'psm_did': {
      const row = (term: string, d: typeof r.did): RobustCoef => ({ term, eventTime: null, group: null, estimate: d.estimate, se: d.se, statistic: d.statistic, pValue: d.pValue, confLow: d.confLow, confHigh: d.confHigh, n: d.fit.nobs, df: d.fit.dof.t });
      return [row('treated', r.did), row('treated (unweighted)', r.didUnweighted)];
    }
    case 'heterogeneity_did':
      return [...r.interactions.flatMap((b) => b.coefs), ...r.subgroups];
    case 'mechanism_test':
      return [r.total, ...r.mediators.flatMap((m) => [m.a, m.b, ...(m.direct ? [m.direct] : []), m.mediatorAsOutcome])];
    default:
      return r.coefs;
  }
}

/** Tidy rows with fixed column names; `alpha` recomputes the intervals from estimate, SE and df. */
export function tidyRobust(result: RobustEstimate, options: { alpha?: number } = {}): DidTidyRow[] {
  return coefsOf(result).map((c) => {
    const q = options.alpha === undefined ? null : critical(options.alpha, c.df ?? Number.POSITIVE_INFINITY);
    return Object.freeze({
      term: c.term,
      estimate: c.estimate,
      std_error: c.se,
      statistic: c.statistic,
      p_value: c.pValue,
      conf_low: q === null ? c.confLow : c.estimate - q * c.se,
      conf_high: q === null ? c.confHigh : c.estimate + q * c.se,
      group: c.group,
      time: null,
      event_time: c.eventTime,
      conf_low_simult: null,
      conf_high_simult: null,
    });
  });
}

export type RobustPlotData =
  | { readonly kind: 'event_study'; readonly xLabel: string; readonly series: readonly EventPlotPoint[] }
  | { readonly kind: 'coefficients'; readonly rows: readonly DidTidyRow[] }
  | { readonly kind: 'weights'; readonly weights: readonly number[]; readonly beta: number }
  | { readonly kind: 'score_density'; readonly densities: readonly DensitySeries[]; readonly support: BalanceResult['plot']['support'] };

/**
 * Figure data: event-study series (effects, placebos and the reference period, whose estimate is
 * 0 by construction), coefficient bars, the TWFE weight distribution, or the score densities.
 */
export function plotDataRobust(result: RobustResult): RobustPlotData {
  if (result.kind === 'twowayfeweights') return Object.freeze({ kind: 'weights' as const, weights: Object.freeze(result.cells.map((c) => c.weight)), beta: result.beta });
  if (result.kind === 'balance_table') return Object.freeze({ kind: 'score_density' as const, densities: result.plot.densities, support: result.plot.support });
  if (result.kind === 'psm_did' && result.balance) return plotDataRobust(result.balance);
  if (result.kind === 'spatial_rings') throw new Error('plotDataRobust: ring exposure has no figure; plot spatialDid results instead');
  const rows = tidyRobust(result);
  const refs: number[] =
    result.kind === 'did2s' && result.spec.ref ? [...result.spec.ref] : result.kind === 'did_multiplegt_dyn' ? [-1] : result.kind === 'stacked_did' && result.spec.type === 'event_study' ? [-1] : [];
  const events = rows.filter((r) => r.event_time !== null && !r.term.startsWith('lead::'));
  if (events.length < 2) return Object.freeze({ kind: 'coefficients' as const, rows: Object.freeze(rows) });
  const series: EventPlotPoint[] = events.map((r) =>
    Object.freeze({ x: r.event_time!, estimate: r.estimate, lo: r.conf_low, hi: r.conf_high, lo_simult: null, hi_simult: null, ref: false, group: null, post: r.event_time! >= 0 }),
  );
  for (const x of refs) series.push(Object.freeze({ x, estimate: 0, lo: 0, hi: 0, lo_simult: null, hi_simult: null, ref: true, group: null, post: false }));
  series.sort((a, b) => a.x - b.x);
  return Object.freeze({ kind: 'event_study' as const, xLabel: result.kind === 'did_multiplegt_dyn' ? 'periods relative to the last untreated period + 1' : 'event time', series: Object.freeze(series) });
}

const f4 = (x: number | null | undefined): string => (x === null || x === undefined ? '' : Number.isFinite(x) ? x.toFixed(4) : 'NA');

const TITLES: Record<RobustResult['kind'], string> = {
  did2s: 'Two-stage DID (Gardner; did2s)',
  did_imputation: 'Imputation DID (Borusyak, Jaravel & Spiess)',
  did_multiplegt_dyn: "de Chaisemartin-D'Haultfoeuille dynamic effects (did_multiplegt_dyn)",
  did_multiplegt: "de Chaisemartin-D'Haultfoeuille DID_M (did_multiplegt)",
  stacked_did: 'Stacked DID (Cengiz et al.; Wing, Freedman & Hollingsworth weights)',
  spatial_did: 'Spatial spillovers: two-stage DID with exposure rings (Butts)',
  spatial_rings: 'Ring exposure to treated units',
  propensity_score: 'Propensity score (logit)',
  balance_table: 'Covariate balance before (U) and after (M) matching',
  psm_did: 'PSM-DID',
  heterogeneity_did: 'Heterogeneity of the DID effect',
  mechanism_test: 'Mechanism test (three-step mediation)',
  policy_robustness: 'Other policies and alternative timing',
  twowayfeweights: 'TWFE weights diagnostic (twowayfeweights, feTR)',
};

/** Plain-data summary with a text rendering (the report package renders HTML/LaTeX). */
export function summaryRobust(result: RobustResult): SummaryDoc {
  const facts: [string, string][] = [];
  switch (result.kind) {
    case 'twowayfeweights':
      facts.push(['beta_fe', f4(result.beta)], ['treated cells', String(result.nTreatedCells)], ['positive weights', `${result.nPositive} (sum ${f4(result.sumPositive)})`]);
      facts.push(['negative weights', `${result.nNegative} (sum ${f4(result.sumNegative)})`], ['sigma_fe', f4(result.sigmaFe)], ['rows dropped (missing)', String(result.dropped)]);
      break;
    case 'spatial_rings':
      facts.push(['rings (km)', result.spec.edgesKm.join(', ')], ['mode', result.spec.mode], ['unit pairs within the outer edge', String(result.pairsWithinOuterEdge)]);
      break;
    case 'balance_table':
      facts.push(['pseudo R2 U / M', `${f4(result.unmatched.pseudoR2)} / ${f4(result.matched.pseudoR2)}`], ['mean |bias| U / M (%)', `${f4(result.unmatched.meanAbsBiasPct)} / ${f4(result.matched.meanAbsBiasPct)}`]);
      facts.push(["Rubin's B / R (M)", `${f4(result.matched.rubinB)} / ${f4(result.matched.rubinR)}`]);
      break;
    case 'did_multiplegt_dyn':
      facts.push(['switchers per effect', result.switchers.effects.join(', ')], ['joint test effects p', f4(result.pJointEffects)], ['joint test placebos p', f4(result.pJointPlacebo)]);
      break;
    case 'mechanism_test':
      facts.push(['caveat', result.caveat]);
      for (const m of result.mediators) facts.push([`${m.mediator}: a*b`, `${f4(m.indirect)} (Sobel z ${f4(m.sobel.z)}, p ${f4(m.sobel.pValue)})`]);
      break;
    case 'psm_did':
      facts.push(['design', result.spec.design], ['DID weights', result.spec.weights === 'matchit' ? "MatchIt's (controls' use counts scaled to the number of distinct matched controls); 'treated (unweighted)' counts each matched row once" : "frequency (controls' use counts); 'treated (unweighted)' counts each matched row once"], ['rows / units matched', `${result.rowsMatched} / ${result.unitsMatched}`], ['rows dropped', String(result.rowsDropped)]);
      break;
    case 'propensity_score':
      facts.push(['observations', String(result.nobs)], ['pseudo R2', f4(result.pseudoR2)], ['separation', `${result.separation.kind} (${result.separation.rows.length} rows)`]);
      break;
    case 'did2s':
    case 'did_imputation':
    case 'spatial_did':
    case 'stacked_did':
      facts.push(['observations', String(result.nobs)]);
      break;
    default:
      break;
  }
  // the inference conventions (package-faithful or not), stated with every table
  if ('notes' in result) for (const note of result.notes) facts.push(['note', note]);
  const hasRows = !['twowayfeweights', 'spatial_rings', 'balance_table'].includes(result.kind);
  const table = hasRows ? tidyRobust(result as RobustEstimate) : [];
  const lines = [TITLES[result.kind], ...facts.map(([k, v]) => `  ${k}: ${v}`), ''];
  if (table.length) {
    lines.push('  term | estimate | std_error | conf_low | conf_high');
    for (const r of table) lines.push(`  ${r.term} | ${f4(r.estimate)} | ${f4(r.std_error)} | ${f4(r.conf_low)} | ${f4(r.conf_high)}`);
  }
  if (result.kind === 'balance_table') {
    lines.push('  term | mean T (U) | mean C (U) | std diff U | mean T (M) | mean C (M) | std diff M | % reduction');
    for (const r of result.rows) lines.push(`  ${r.term} | ${f4(r.meanTreatedU)} | ${f4(r.meanControlU)} | ${f4(r.stdDiffU)} | ${f4(r.meanTreatedM)} | ${f4(r.meanControlM)} | ${f4(r.stdDiffM)} | ${f4(r.reductionPct)}`);
  }
  return Object.freeze({ title: TITLES[result.kind], facts: Object.freeze(facts), table: Object.freeze(table), text: lines.join('\n') });
}
