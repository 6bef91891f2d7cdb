import { criticalValue } from '@panel-lab/regression';
import { histogram, kernelDensity, type DensityCurve, type DensityOptions, type HistogramBin } from './kde.js';
import type { MultiplierBootstrapResult } from './multiplier-bootstrap.js';
import type { PlaceboResult } from './placebo.js';
import { finiteValues } from './stats.js';
import type { TimingShiftResult } from './timing-shift.js';
import type { WildBootstrapResult } from './wild-bootstrap.js';

export type ResampleResult = PlaceboResult | TimingShiftResult | WildBootstrapResult | MultiplierBootstrapResult;

/** broom columns plus, where it exists, the resampling p-value (column names never depend on alpha). */
export interface ResampleTidyRow {
  readonly term: string;
  readonly estimate: number | null;
  readonly std_error: number | null;
  readonly statistic: number | null;
  readonly p_value: number | null;
  readonly conf_low: number | null;
  readonly conf_high: number | null;
  readonly p_value_resampled: number | null;
  readonly method: string;
  readonly shift?: number;
  readonly sample?: string;
  readonly nobs?: number | null;
}

/** Rows in the fixed snake_case columns for any resampling result. */
export function tidy(result: ResampleResult, opts: { alpha?: number } = {}): ResampleTidyRow[] {
  const alpha = opts.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`tidy: option alpha must be in (0, 1), got ${alpha}`);
  switch (result.kind) {
    case 'placebo': {
      const e = result.estimate;
      const q = criticalValue(alpha, e.df);
      return [
        Object.freeze({
          term: result.spec.cohort ? `treated(${result.spec.cohort})` : 'treated',
          estimate: e.beta,
          std_error: e.se,
          statistic: e.t,
          p_value: e.p,
          conf_low: e.beta - q * e.se,
          conf_high: e.beta + q * e.se,
          p_value_resampled: result.summary.pTwoSided,
          method: `placebo ${result.spec.mode}, ${result.summary.valid} draws`,
        }),
      ];
    }
    case 'timing_shift':
      return result.rows.map((r) => {
        const q = r.std_error !== null && r.df !== null ? criticalValue(alpha, r.df) : null;
        return Object.freeze({
          term: `shift(${r.shift > 0 ? '+' : ''}${r.shift})`,
          estimate: r.estimate,
          std_error: r.std_error,
          statistic: r.statistic,
          p_value: r.p_value,
          conf_low: r.estimate !== null && q !== null ? r.estimate - q * r.std_error! : null,
          conf_high: r.estimate !== null && q !== null ? r.estimate + q * r.std_error! : null,
          p_value_resampled: null,
          method: `counterfactual timing, ${r.sample} sample`,
          shift: r.shift,
          sample: r.sample,
          nobs: r.nobs,
        });
      });
    case 'wild_bootstrap': {
      if (alpha !== result.spec.alpha) throw new Error(`tidy: the wild bootstrap interval was inverted at alpha ${result.spec.alpha}; rerun with that alpha for ${alpha}`);
      return [
        Object.freeze({
          term: result.spec.coefficient,
          estimate: result.estimate,
          std_error: result.se,
          statistic: result.statistic,
          p_value: null,
          conf_low: result.confInt[0],
          conf_high: result.confInt[1],
          p_value_resampled: result.pValue,
          method: `wild cluster bootstrap (WCR, ${result.spec.weights}, ${result.spec.draws} draws${result.enumerated ? ', enumerated' : ''}, ${result.nClusters} clusters)`,
        }),
      ];
    }
    case 'multiplier_bootstrap':
      return result.se.map((se, k) =>
        Object.freeze({
          term: `column ${k}`,
          estimate: null,
          std_error: se,
          statistic: null,
          p_value: null,
          conf_low: null,
          conf_high: null,
          p_value_resampled: null,
          method: `multiplier bootstrap (${result.meta.weights}, ${result.draws} draws)`,
        }),
      );
  }
}

export interface ResamplePlotData {
  readonly kind: string;
  /** Density curve of the resampled statistic (placebo beta_b or wild t*_b). */
  readonly density: DensityCurve | null;
  readonly histogram: readonly HistogramBin[];
  /** Vertical marker: the real estimate (placebo) or the observed t (wild bootstrap). */
  readonly marker: Readonly<{ x: number; label: string }> | null;
  /** Placebo: p_b against beta_b with the reference line p = 0.1 (common in applied papers). */
  readonly scatter: Readonly<{ x: readonly number[]; y: readonly number[]; refLine: number }> | null;
  /** Timing shifts: one point per shift and sample. */
  readonly series: readonly Readonly<{ x: number; estimate: number | null; lo: number | null; hi: number | null; sample: string }>[];
}

/** Plot data (not images): density curve, histogram bins, the real-estimate marker, p-vs-beta scatter. */
export function plotData(result: ResampleResult, opts: DensityOptions & { bins?: number } = {}): ResamplePlotData {
  switch (result.kind) {
    case 'placebo': {
      const b = finiteValues(result.draws.beta.map((v) => v ?? Number.NaN));
      const scatter: { x: number[]; y: number[] } = { x: [], y: [] };
      if (result.draws.p) {
        result.draws.beta.forEach((v, k) => {
          const p = result.draws.p![k];
          if (v !== null && p !== null && p !== undefined) {
            scatter.x.push(v);
            scatter.y.push(p);
          }
        });
      }
      return Object.freeze({
        kind: 'placebo',
        density: b.length >= 2 ? kernelDensity(b, opts) : null,
        histogram: histogram(b, opts.bins),
        marker: Object.freeze({ x: result.estimate.beta, label: 'estimate' }),
        scatter: result.draws.p ? Object.freeze({ ...scatter, refLine: 0.1 }) : null,
        series: Object.freeze([]),
      });
    }
    case 'wild_bootstrap': {
      const t = finiteValues(result.tStar.map((v) => v ?? Number.NaN));
      return Object.freeze({
        kind: 'wild_bootstrap',
        density: t.length >= 2 ? kernelDensity(t, opts) : null,
        histogram: histogram(t, opts.bins),
        marker: Object.freeze({ x: result.statistic, label: 't' }),
        scatter: null,
        series: Object.freeze([]),
      });
    }
    case 'timing_shift': {
      return Object.freeze({
        kind: 'timing_shift',
        density: null,
        histogram: Object.freeze([]),
        marker: null,
        scatter: null,
        series: Object.freeze(
          result.rows.map((r) => {
            const z = r.df !== null ? criticalValue(0.05, r.df) : Number.NaN;
            return Object.freeze({
              x: r.shift,
              estimate: r.estimate,
              lo: r.estimate !== null ? r.estimate - z * r.std_error! : null,
              hi: r.estimate !== null ? r.estimate + z * r.std_error! : null,
              sample: r.sample,
            });
          }),
        ),
      });
    }
    case 'multiplier_bootstrap':
      return Object.freeze({ kind: 'multiplier_bootstrap', density: null, histogram: Object.freeze([]), marker: null, scatter: null, series: Object.freeze([]) });
  }
}

const f = (v: number | null | undefined, d = 4) => (v === null || v === undefined || !Number.isFinite(v) ? 'NA' : v.toFixed(d));

/** A short plain-text summary. */
export function summaryText(result: ResampleResult): string {
  switch (result.kind) {
    case 'placebo': {
      const s = result.summary;
      const e = result.estimate;
      return [
        `Placebo test (${result.spec.mode}), ${result.spec.draws} draws, seed ${result.spec.seed}`,
        `Sample: ${result.sample.nobs} obs, ${result.sample.units} units x ${result.sample.periods} periods, ${result.sample.treatedUnits} treated units, ${result.sample.clusters} clusters (${result.spec.cluster})`,
        `Estimate: ${f(e.beta)} (CR1 SE ${f(e.se)}, t(${e.df}) = ${f(e.t, 2)}, p = ${f(e.p)})`,
        `Placebo draws: mean ${f(s.mean)}, SD ${f(s.sd)}, 5%-95% [${f(s.quantiles.p05)}, ${f(s.quantiles.p95)}]` +
          (s.shareP10 !== null ? `, share p<0.10 ${f(s.shareP10, 3)}` : '') +
          (s.degenerate ? `, ${s.degenerate} degenerate draw(s) left out` : ''),
        `Empirical p-values: two-sided ${f(s.pTwoSided)}, left ${f(s.pLeft)}, right ${f(s.pRight)}`,
        `Backend: ${result.meta.backend}/${result.meta.device} (float${result.meta.precision}, ${result.meta.path}); estimate and SE in float64` +
          (result.meta.fallbacks.length ? `; fallbacks: ${result.meta.fallbacks.map((x) => `${x.from}: ${x.reason}`).join('; ')}` : ''),
      ].join('\n');
    }
    case 'timing_shift':
      return [
        'Counterfactual timing test',
        ...result.rows.map((r) => `  s = ${r.shift > 0 ? '+' : ''}${r.shift} (${r.sample}): ${f(r.estimate)} (SE ${f(r.std_error)}, p = ${f(r.p_value)}, N = ${r.nobs ?? 'NA'})${r.note ? `  [${r.note}]` : ''}`),
      ].join('\n');
    case 'wild_bootstrap':
      return [
        `Wild cluster bootstrap (WCR, ${result.spec.weights}), ${result.spec.draws} draws${result.enumerated ? ' (all sign vectors enumerated)' : ''}, ${result.nClusters} clusters`,
        `${result.spec.coefficient}: ${f(result.estimate)} (CR1 SE ${f(result.se)}), t = ${f(result.statistic, 2)} for H0: beta = ${result.spec.beta0}`,
        `Bootstrap p = ${f(result.pValue)}; ${(1 - result.spec.alpha) * 100}% CI by test inversion [${f(result.confInt[0])}, ${f(result.confInt[1])}] (analytic t(${result.df}) [${f(result.confIntAnalytic[0])}, ${f(result.confIntAnalytic[1])}])`,
      ].join('\n');
    case 'multiplier_bootstrap':
      return `Multiplier bootstrap (${result.meta.weights}), ${result.draws} draws over ${result.clusters} clusters, ${result.k} parameters on ${result.meta.backend}/${result.meta.device}; uniform critical value ${f(result.critVal, 3)}`;
  }
}
