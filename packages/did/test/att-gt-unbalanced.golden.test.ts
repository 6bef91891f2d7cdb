import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { attGt, type AttGtOptions } from '../src/index.js';
import { expectAggteMatches, expectAttGtMatches, expectPretestMatches, mpdtaAttGtOptions, type AttGtArgs, type AttGtGolden } from './did-golden.js';
import { readGoldenCsv } from './helpers.js';

interface SpecGolden extends AttGtGolden {
  args: Required<AttGtArgs>;
  n_units: number;
  warnings: string[];
}
// did 2.3.0 on mpdta minus a seeded 8 % of its rows (provenance in the JSON's meta and data)
const golden = loadGolden<{ data: { n_units: number }; att_gt: Record<string, SpecGolden> }>('did_unbalanced_mpdta');
const frame = readGoldenCsv('mpdta_unbalanced.csv', 'countyreal', 'year');

function variant(prefix: string): [string, SpecGolden][] {
  return Object.entries(golden.att_gt).filter(([k]) => k.startsWith(`${prefix}__`));
}

// did's default keeps the counties observed in every year: the unbalanced-then-balanced case
describe.each(variant('default_balanced_subset'))('did::att_gt on the balanced subset %s', (_name, spec) => {
  const res = attGt(frame, mpdtaAttGtOptions(spec.args));

  it('drops the same counties as did and matches every ATT(g,t) and SE', () => {
    expect(res.n).toBe(spec.n_units);
    expect(res.drops.unitsIncomplete).toBe(golden.data.n_units - spec.n_units);
    expectAttGtMatches(res, spec);
  });

  it('matches the Wald pre-test', () => expectPretestMatches(res, spec));

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => expectAggteMatches(res, type, spec));
});

// allow_unbalanced_panel = TRUE: did runs its repeated-cross-section estimators, keeping the county id
describe.each(variant('allow_unbalanced'))('did::att_gt on the unbalanced panel %s', (_name, spec) => {
  const res = attGt(frame, mpdtaAttGtOptions(spec.args));

  it('keeps every county and matches every ATT(g,t) and SE', () => {
    expect(res.sampling).toBe('unbalanced_panel');
    expect(res.n).toBe(spec.n_units);
    expectAttGtMatches(res, spec);
  });

  it('matches the Wald pre-test', () => expectPretestMatches(res, spec));

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => expectAggteMatches(res, type, spec));
});

// panel = FALSE: every row its own observation
describe.each(variant('repeated_cross_section'))('did::att_gt on repeated cross-sections %s', (_name, spec) => {
  const res = attGt(frame, mpdtaAttGtOptions(spec.args));

  it('has one influence-function row per observation and matches every ATT(g,t) and SE', () => {
    expect(res.sampling).toBe('repeated_cross_section');
    expect(res.n).toBe(spec.n_units);
    expectAttGtMatches(res, spec);
  });

  it('matches the Wald pre-test', () => expectPretestMatches(res, spec));

  it.each(['simple', 'group', 'dynamic', 'calendar'] as const)('matches aggte type %s', (type) => expectAggteMatches(res, type, spec));
});

describe('allowUnbalancedPanel on a balanced panel', () => {
  it('runs the panel estimators, as did does', () => {
    const balanced = readGoldenCsv('mpdta.csv', 'countyreal', 'year');
    const opts = { outcome: 'lemp', treatment: { cohort: 'first.treat' }, covariates: ['lpop'] } as const;
    const res = attGt(balanced, { ...opts, allowUnbalancedPanel: true });
    expect(res.sampling).toBe('panel');
    expect(res.att).toEqual(attGt(balanced, opts).att);
  });

  it('rejects a non-boolean option', () => {
    expect(() => attGt(frame, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, panel: 'no' as never })).toThrow(/option panel/);
  });
});
