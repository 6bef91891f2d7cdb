import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { attGt, type AttGtOptions } from '../src/index.js';
import { expectAggteMatches, expectAttGtMatches, expectPretestMatches, type AttGtGolden } from './did-golden.js';
import { readGoldenCsv } from './helpers.js';

interface SpecGolden {
  args: { xformla: string; control_group: 'nevertreated' | 'notyettreated'; est_method: 'dr' | 'ipw' | 'reg'; base_period: 'varying' | 'universal' };
  n_units: number;
  analytic: AttGtGolden;
}
const golden = loadGolden<{ specs: Record<string, SpecGolden> }>('did_mpdta');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');

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
    expect(res.n).toBe(spec.n_units);
    expectAttGtMatches(res, spec.analytic);
  });

  it('matches the Wald pre-test', () => expectPretestMatches(res, spec.analytic));

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => expectAggteMatches(res, type, spec.analytic));
  void name;
});
