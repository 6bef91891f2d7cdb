import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { attGt, type AttGtOptions } from '../src/index.js';
import { expectAggteMatches, expectAttGtMatches, expectPretestMatches, mpdtaAttGtOptions, type AttGtArgs, type AttGtGolden } from './did-golden.js';
import { readGoldenCsv } from './helpers.js';

interface SpecGolden {
  args: AttGtArgs;
  n_units: number;
  analytic: AttGtGolden;
}
const golden = loadGolden<{ specs: Record<string, SpecGolden> }>('did_mpdta');
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');

describe.each(Object.entries(golden.specs))('did::att_gt golden %s', (name, spec) => {
  const options = mpdtaAttGtOptions(spec.args);
  const res = attGt(mpdta, options);

  it('matches every ATT(g,t) and analytic SE', () => {
    expect(res.n).toBe(spec.n_units);
    expectAttGtMatches(res, spec.analytic);
  });

  it('matches the Wald pre-test', () => expectPretestMatches(res, spec.analytic));

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => expectAggteMatches(res, type, spec.analytic));
  void name;
});
