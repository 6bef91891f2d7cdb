import type { CohortEstimate } from '@panel-lab/did';
import { OKABE_ITO, renderSpec, type Chart } from '@panel-lab/report';

type Spec = Parameters<typeof renderSpec>[0];

/**
 * synthdid's plot for one cohort: the treated mean and the omega-weighted controls (shifted to the
 * treated units' lambda-weighted pre-period level, so the post-period gap averages to the estimate),
 * and under them the time weights: lambda on the pre-periods, 1/T1 on the post-periods.
 */
export function synthdidPlot(c: CohortEstimate, outcome: string, title: string): Promise<Chart> {
  const { fit, block } = c;
  const nT = fit.y.nPeriods;
  const treated = new Float64Array(nT);
  const controls = new Float64Array(nT);
  for (let i = 0; i < fit.y.nUnits; i++) {
    for (let t = 0; t < nT; t++) {
      // With covariates the plot shows the adjusted outcome Y - X beta (as synthdid_plot).
      let v = fit.y.values[i * nT + t]!;
      if (fit.covariates) fit.covariates.x.forEach((m, k) => (v -= fit.covariates!.beta[k]! * m.values[i * nT + t]!));
      if (i < fit.n0) controls[t] = controls[t]! + fit.omega[i]! * v;
      else treated[t] = treated[t]! + v / fit.n1;
    }
  }
  let shift = 0;
  for (let t = 0; t < fit.t0; t++) shift += fit.lambda[t]! * (treated[t]! - controls[t]!);
  const synthetic = fit.estimator === 'sc' ? 'synthetic control' : fit.estimator === 'did' ? 'controls (average, shifted)' : 'synthetic control (shifted)';
  const lines = block.times.flatMap((time, t) => [
    { time, value: treated[t]!, series: 'treated' },
    { time, value: controls[t]! + shift, series: synthetic },
  ]);
  const weights = block.times.map((time, t) => ({ time, weight: t < fit.t0 ? fit.lambda[t]! : 1 / fit.t1, part: t < fit.t0 ? 'lambda (pre)' : '1/T1 (post)' }));
  const x = { field: 'time', type: 'quantitative', title: 'Period', axis: { format: 'd', tickMinStep: 1 }, scale: { zero: false, nice: false, domain: [block.times[0]! - 0.5, block.times[nT - 1]! + 0.5] } } as const;
  const adoption = { data: { values: [{ time: c.cohort }] }, mark: { type: 'rule', strokeDash: [3, 3], color: '#444444' }, encoding: { x: { field: 'time', type: 'quantitative' } } } as const;
  const spec = {
    title: { text: title, subtitle: `estimate ${fit.estimate.toPrecision(4)}; ${fit.n1} treated, ${fit.n0} controls` },
    vconcat: [
      {
        width: 520,
        height: 240,
        layer: [
          {
            data: { values: lines },
            mark: { type: 'line', point: true, strokeWidth: 1.8 },
            encoding: { x, y: { field: 'value', type: 'quantitative', title: outcome, scale: { zero: false } }, color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['treated', synthetic], range: [OKABE_ITO[1], OKABE_ITO[0]] } } },
          },
          adoption,
        ],
      },
      {
        width: 520,
        height: 60,
        layer: [
          {
            data: { values: weights },
            mark: { type: 'bar', width: { band: 0.6 } },
            encoding: { x, y: { field: 'weight', type: 'quantitative', title: 'time weight' }, color: { field: 'part', type: 'nominal', title: null, scale: { domain: ['lambda (pre)', '1/T1 (post)'], range: [OKABE_ITO[2], '#999999'] } } },
          },
          adoption,
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as Spec;
  return renderSpec(spec);
}
