import type { AggteResult } from './cs/aggte.js';
import type { GroupTimeResult } from './cs/att-gt.js';
import type { BaconResult } from './bacon/types.js';
import type { EventStudyResult } from './regression/event-study.js';
import type { SunAbrahamResult } from './regression/sun-abraham.js';
import type { TwfeResult } from './regression/twfe.js';
import type { EventCoef } from './regression/common.js';
import { pnormTwoSided, qnorm } from './internal/stats.js';
import { criticalT } from './regression/common.js';

export type DidResult = GroupTimeResult | AggteResult | EventStudyResult | SunAbrahamResult | TwfeResult | BaconResult;

/** broom columns plus did's group/time/event_time and simultaneous band (null where not defined). */
export interface DidTidyRow {
  readonly term: string;
  readonly estimate: number;
  readonly std_error: number;
  readonly statistic: number;
  readonly p_value: number;
  readonly conf_low: number;
  readonly conf_high: number;
  readonly group: number | null;
  readonly time: number | null;
  readonly event_time: number | null;
  readonly conf_low_simult: number | null;
  readonly conf_high_simult: number | null;
}

/** Tidy rows of a Bacon decomposition: one per 2x2. */
export interface BaconTidyRow {
  readonly term: string;
  readonly type: string;
  readonly treated: number;
  readonly untreated: number | 'never' | 'always';
  readonly estimate: number;
  readonly weight: number;
}

function row(
  term: string,
  estimate: number,
  se: number,
  crit: number,
  p: number,
  extra: { group?: number | null; time?: number | null; event_time?: number | null; simult?: number | null },
): DidTidyRow {
  const s = extra.simult ?? null;
  return Object.freeze({
    term,
    estimate,
    std_error: se,
    statistic: estimate / se,
    p_value: p,
    conf_low: estimate - crit * se,
    conf_high: estimate + crit * se,
    group: extra.group ?? null,
    time: extra.time ?? null,
    event_time: extra.event_time ?? null,
    conf_low_simult: s === null ? null : estimate - s * se,
    conf_high_simult: s === null ? null : estimate + s * se,
  });
}

function coefRows(coefs: readonly EventCoef[], alpha: number, df: number, simult: number | null = null): DidTidyRow[] {
  const q = criticalT(alpha, df);
  return coefs.map((c) =>
    row(c.term, c.estimate, c.se, q, c.pValue, { group: c.group, event_time: Number.isNaN(c.eventTime) ? null : c.eventTime, simult }),
  );
}

/**
 * Tidy rows with fixed column names (independent of alpha). CS results use normal critical values
 * (did); regression-based ones use t(G-1) (fixest). Simultaneous bands are filled when a uniform
 * bootstrap critical value exists.
 */
export function tidy(result: BaconResult, options?: { alpha?: number }): BaconTidyRow[];
export function tidy(result: Exclude<DidResult, BaconResult>, options?: { alpha?: number }): DidTidyRow[];
export function tidy(result: DidResult, options: { alpha?: number } = {}): DidTidyRow[] | BaconTidyRow[] {
  switch (result.kind) {
    case 'bacon':
      return result.twoByTwos.map((r) =>
        Object.freeze({
          term: `${r.treated} vs ${r.untreated === null ? 'never' : r.untreated}`,
          type: r.type,
          treated: r.treated,
          untreated: r.untreated === null ? ('never' as const) : r.untreated,
          estimate: r.estimate,
          weight: r.weight,
        }),
      );
    case 'att_gt': {
      const alpha = options.alpha ?? result.spec.alpha;
      const z = qnorm(1 - alpha / 2);
      const simult = result.bootstrap?.cband ? result.critVal : null;
      return result.att.map((a, k) =>
        row(`ATT(${result.group[k]},${result.time[k]})`, a, result.se[k]!, z, pnormTwoSided(a / result.se[k]!), {
          group: result.group[k]!,
          time: result.time[k]!,
          event_time: result.time[k]! - result.group[k]!,
          simult,
        }),
      );
    }
    case 'aggte': {
      const alpha = options.alpha ?? result.spec.alpha;
      const z = qnorm(1 - alpha / 2);
      const simult = result.bootstrap?.cband ? result.critValEgt : null;
      const rows = result.egt.map((e, k) => {
        const est = result.attEgt[k]!;
        const se = result.seEgt[k]!;
        const where =
          result.type === 'group' ? { group: e } : result.type === 'dynamic' ? { event_time: e } : { time: e };
        return row(`${result.type === 'group' ? 'group' : result.type === 'dynamic' ? 'event_time' : 'time'}::${e}`, est, se, z, pnormTwoSided(est / se), { ...where, simult });
      });
      rows.push(row('overall', result.overallAtt, result.overallSe, z, pnormTwoSided(result.overallAtt / result.overallSe), {}));
      return rows;
    }
    case 'event_study':
      return coefRows(result.coefs, options.alpha ?? result.spec.alpha, result.fit.dof.t, result.critValSimult);
    case 'sun_abraham':
      return [
        ...coefRows(result.coefs, options.alpha ?? result.spec.alpha, result.fit.dof.t, result.critValSimult),
        ...coefRows([result.att], options.alpha ?? result.spec.alpha, result.fit.dof.t),
      ];
    case 'twfe_did': {
      const q = criticalT(options.alpha ?? result.spec.alpha, result.fit.dof.t);
      return [row('treated', result.estimate, result.se, q, result.pValue, {})];
    }
  }
}

export interface EventPlotPoint {
  readonly x: number;
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
  readonly lo_simult: number | null;
  readonly hi_simult: number | null;
  /** The reference period (estimate 0 by construction, no interval). */
  readonly ref: boolean;
  /** Cohort for per-group panels (ATT(g,t) plots); null otherwise. */
  readonly group: number | null;
  readonly post: boolean;
}

export type PlotData =
  | { readonly kind: 'event_study'; readonly xLabel: string; readonly series: readonly EventPlotPoint[] }
  | {
      readonly kind: 'bacon_scatter';
      readonly points: readonly { readonly x: number; readonly y: number; readonly type: string; readonly label: string }[];
      readonly twfe: number;
    };

/**
 * Data (not images) for the seed's figures: event-study coefficients with pointwise and uniform
 * bands and the reference period marked; per-cohort ATT(g,t) panels; the Bacon weight-estimate scatter.
 */
export function plotData(result: Exclude<DidResult, TwfeResult>): PlotData {
  if (result.kind === 'bacon') {
    return Object.freeze({
      kind: 'bacon_scatter' as const,
      points: Object.freeze(tidy(result).map((r) => Object.freeze({ x: r.weight, y: r.estimate, type: r.type, label: r.term }))),
      twfe: result.twfe,
    });
  }
  const rows = tidy(result);
  const point = (r: DidTidyRow, x: number): EventPlotPoint =>
    Object.freeze({
      x,
      estimate: r.estimate,
      lo: r.conf_low,
      hi: r.conf_high,
      lo_simult: r.conf_low_simult,
      hi_simult: r.conf_high_simult,
      ref: false,
      group: result.kind === 'att_gt' ? r.group : null,
      post: x >= 0,
    });
  const refPoint = (x: number): EventPlotPoint =>
    Object.freeze({ x, estimate: 0, lo: 0, hi: 0, lo_simult: null, hi_simult: null, ref: true, group: null, post: false });
  let series: EventPlotPoint[];
  let xLabel = 'event time';
  if (result.kind === 'att_gt') {
    xLabel = 'time';
    series = rows.map((r) => ({ ...point(r, r.time!), post: r.time! >= r.group! }));
  } else if (result.kind === 'aggte') {
    if (result.type === 'simple') throw new Error('plotData: a simple aggregation has a single number; plot the dynamic aggregation instead');
    xLabel = result.type === 'dynamic' ? 'event time' : result.type === 'group' ? 'group' : 'time';
    series = rows.filter((r) => r.term !== 'overall').map((r) => point(r, (r.event_time ?? r.group ?? r.time)!));
  } else {
    series = rows.filter((r) => r.event_time !== null).map((r) => point(r, r.event_time!));
    const refs = result.kind === 'event_study' ? [result.spec.ref] : result.spec.ref;
    for (const x of refs) series.push(refPoint(x));
    series.sort((a, b) => a.x - b.x);
  }
  return Object.freeze({ kind: 'event_study' as const, xLabel, series: Object.freeze(series) });
}

/** A plain-data summary: title, key facts and the coefficient table, plus its text rendering. */
export interface SummaryDoc {
  readonly title: string;
  readonly facts: readonly (readonly [string, string])[];
  readonly table: readonly DidTidyRow[] | readonly BaconTidyRow[];
  readonly text: string;
}

const f4 = (x: number | null): string => (x === null ? '' : Number.isFinite(x) ? x.toFixed(4) : 'NA');

export function summary(result: DidResult): SummaryDoc {
  const facts: [string, string][] = [];
  let title: string;
  switch (result.kind) {
    case 'att_gt':
      title = `Group-time ATT (Callaway & Sant'Anna): ${result.spec.outcome}`;
      facts.push(['control group', result.spec.controlGroup], ['method', result.spec.estMethod], ['base period', result.spec.basePeriod]);
      facts.push(['units', String(result.n)], ['critical value', f4(result.critVal)], ['SEs', result.bootstrap ? `multiplier bootstrap (${result.bootstrap.draws} draws, ${result.bootstrap.weights})` : 'analytic']);
      if (result.pretest) facts.push(['pre-test of parallel trends', `W = ${f4(result.pretest.W)}, df = ${result.pretest.df}, p = ${f4(result.pretest.pValue)}`]);
      if (result.warnings.length) facts.push(['warnings', result.warnings.join('; ')]);
      break;
    case 'aggte':
      title = `Aggregated ATT (${result.type}): ${result.attGtSpec.outcome}`;
      facts.push(['overall ATT', `${f4(result.overallAtt)} (SE ${f4(result.overallSe)})`], ['critical value', f4(result.critValEgt)]);
      break;
    case 'event_study':
      title = `Event study: ${result.spec.outcome}`;
      facts.push(['window', `[${result.spec.window.join(', ')}], ref ${result.spec.ref}, endpoints ${result.spec.endpoints}`], ['observations', String(result.fit.nobs)]);
      if (result.pretest) facts.push(['joint pre-trend test', `F = ${f4(result.pretest.f)} (${result.pretest.df1}, ${result.pretest.df2}), p = ${f4(result.pretest.pValue)}`]);
      break;
    case 'sun_abraham':
      title = `Sun & Abraham interaction-weighted event study: ${result.spec.outcome}`;
      facts.push(['ATT', `${f4(result.att.estimate)} (SE ${f4(result.att.se)})`], ['observations', String(result.fit.nobs)]);
      break;
    case 'twfe_did':
      title = `TWFE DID: ${result.spec.outcome}`;
      facts.push(['observations', String(result.fit.nobs)], ['clusters', Object.entries(result.fit.nClusters).map(([k, v]) => `${k}: ${v}`).join(', ')]);
      facts.push(['within R2', f4(result.fit.withinR2)]);
      break;
    case 'bacon':
      title = `Goodman-Bacon decomposition: ${result.spec.outcome}`;
      facts.push(['TWFE estimate', f4(result.twfe)], ['weighted sum', f4(result.overall)], ['identity residual', result.identityResidual.toExponential(2)]);
      for (const t of result.byType) facts.push([t.type, `weight ${f4(t.weight)}, average ${f4(t.avgEstimate)}`]);
      if (result.within) facts.push(['within part', `Omega ${f4(result.within.omega)}, beta_w ${f4(result.within.estimate)}`]);
      break;
  }
  const table = result.kind === 'bacon' ? tidy(result) : tidy(result);
  const lines = [title, ...facts.map(([k, v]) => `  ${k}: ${v}`), ''];
  if (result.kind === 'bacon') {
    lines.push('  term | type | estimate | weight');
    for (const r of table as BaconTidyRow[]) lines.push(`  ${r.term} | ${r.type} | ${f4(r.estimate)} | ${f4(r.weight)}`);
  } else {
    lines.push('  term | estimate | std_error | conf_low | conf_high | conf_low_simult | conf_high_simult');
    for (const r of table as DidTidyRow[]) {
      lines.push(`  ${r.term} | ${f4(r.estimate)} | ${f4(r.std_error)} | ${f4(r.conf_low)} | ${f4(r.conf_high)} | ${f4(r.conf_low_simult)} | ${f4(r.conf_high_simult)}`);
    }
  }
  return Object.freeze({ title, facts: Object.freeze(facts), table: Object.freeze(table), text: lines.join('\n') });
}
