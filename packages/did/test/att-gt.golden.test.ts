import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { aggte, attGt, type AggregationType, type AttGtOptions } from '../src/index.js';
import { readGoldenCsv } from './helpers.js';

interface AggGolden { overall_att: number; overall_se: number; egt?: number[]; att_egt?: number[]; se_egt?: (number | null)[]; crit_val_egt?: number }
interface SpecGolden {
  args: { xformla: string; control_group: 'nevertreated' | 'notyettreated'; est_method: 'dr' | 'ipw' | 'reg'; base_period: 'varying' | 'universal' };
  n_units: number;
  analytic: { attgt: { group: number[]; t: number[]; att: number[]; se: number[] }; crit_val_pointwise: number; pretest_W: number; pretest_pval: number; aggte: Record<AggregationType, AggGolden> };
}
const golden = loadGolden<{ specs: Record<string, SpecGolden> }>('did_mpdta');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');
const TOL = 1e-6; // issue: every ATT(g,t), SE and aggregation to 1e-6

function close(actual: number, expected: number | null): void {
  if (expected === null) {
    expect(Number.isNaN(actual)).toBe(true);
    return;
  }
  expect(Math.abs(actual - expected)).toBeLessThan(TOL * Math.max(1, Math.abs(expected)));
}

describe.each(Object.entries(golden.specs))('did::att_gt golden %s', (name, spec) => {
  const options: AttGtOptions = {
    outcome: 'lemp',
    treatment: { cohort: 'first.treat' },
    covariates: spec.args.xformla === '~1' ? [] : [spec.args.xformla.slice(1)],
    controlGroup: spec.args.control_group,
    estMethod: spec.args.est_method,
    basePeriod: spec.args.base_period,
  };
  const res = attGt(mpdta, options);

  it('matches every ATT(g,t) and analytic SE', () => {
    const g = spec.analytic.attgt;
    expect(res.n).toBe(spec.n_units);
    expect(res.group).toEqual(g.group);
    expect(res.time).toEqual(g.t);
    g.att.forEach((a, k) => close(res.att[k]!, a));
    g.se.forEach((s, k) => close(res.se[k]!, s));
    close(res.critVal, spec.analytic.crit_val_pointwise);
  });

  it('matches the Wald pre-test', () => {
    expect(res.pretest).not.toBeNull();
    expect(Math.abs(res.pretest!.W - spec.analytic.pretest_W)).toBeLessThan(1e-6 * spec.analytic.pretest_W);
    expect(Math.abs(res.pretest!.pValue - spec.analytic.pretest_pval)).toBeLessThan(1e-5);
  });

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => {
    const want = spec.analytic.aggte[type];
    const agg = aggte(res, { type });
    close(agg.overallAtt, want.overall_att);
    close(agg.overallSe, want.overall_se);
    if (want.egt) {
      expect(agg.egt).toEqual(want.egt);
      want.att_egt!.forEach((a, k) => close(agg.attEgt[k]!, a));
      want.se_egt!.forEach((s, k) => close(agg.seEgt[k]!, s));
      close(agg.critValEgt, want.crit_val_egt!);
    }
  });
  void name;
});
