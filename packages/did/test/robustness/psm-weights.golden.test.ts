import { describe, expect, it } from 'vitest';
import { PanelFrame, type ColumnInput } from '@panel-lab/panel';
import { loadGolden } from '@panel-lab/testing';
import { balanceTable } from '../../src/robustness/balance.js';
import { matchNearest } from '../../src/robustness/matching.js';
import { propensityScore } from '../../src/robustness/propensity.js';
import { psmDid } from '../../src/robustness/psm-did.js';
import { readCsv } from './data.js';

interface Table {
  term: string[];
  means_treated: number[];
  means_control: number[];
  std_mean_diff: number[];
  ecdf_mean: number[];
  ecdf_max: number[];
  std_pair_dist: number[] | null;
}
interface Block {
  weights: { id: string[]; weight: number[] };
  pairs: { treated_id: string[]; control_id: string[] };
  balance_all: Table;
  balance_matched: Table;
  did_weighted: { estimate: number; se_ols: number; n: number };
  did_unweighted: { estimate: number; se_ols: number; n: number };
  se_matchit_recommended: { estimate: number; call: string; se: number; se_cr0: number };
  twfe_cluster_unit: Record<'weighted' | 'unweighted', TwfeSe>;
  twfe_cluster_pair: Record<'weighted' | 'unweighted', TwfeSe> | null;
}
interface TwfeSe { estimate: number; se: number; se_cr0: number; nobs: number }
const golden = loadGolden<{ without_replacement: Block; with_replacement: Block }>('matchit_lalonde_weights');
const COVS = ['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'];
const lalonde = readCsv('lalonde.csv', 'id', 'period', { period: 1 });
const ids = lalonde.values('id') as string[];

/** lalonde as a two-period panel: re75 in period 1, re78 in period 2, the treated treated from period 2. */
function lalondePanel(): PanelFrame {
  const n = lalonde.nrows;
  const cols: Record<string, ColumnInput> = {};
  const twice = <T,>(a: ArrayLike<T>): T[] => [...Array.from(a), ...Array.from(a)];
  cols.id = twice(ids);
  cols.period = [...new Array<number>(n).fill(1), ...new Array<number>(n).fill(2)];
  for (const c of ['age', 'educ', 'married', 'nodegree', 're74', 're75']) cols[c] = twice(lalonde.numeric(c));
  cols.race = twice(lalonde.values('race') as string[]);
  const treat = lalonde.numeric('treat');
  cols.cohort = twice(Array.from(treat, (t) => (t === 1 ? 2 : 0)));
  cols.y = [...Array.from(lalonde.numeric('re75')), ...Array.from(lalonde.numeric('re78'))];
  return PanelFrame.fromColumns(cols, { unit: 'id', time: 'period' });
}

const maxAbs = (a: readonly number[], b: readonly number[]) => {
  const d = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  if (process.env.PSM_DIFFS) console.log('max |diff|', d);
  return d;
};

describe.each([
  ['without_replacement', false],
  ['with_replacement', true],
] as const)('MatchIt 4.5.1 on lalonde, %s', (key, replace) => {
  const g = golden[key];
  const ps = propensityScore(lalonde, { treatment: 'treat', covariates: COVS });
  const m = matchNearest(ps, { replace, emulate: 'matchit-4.5.1' });

  it('pairs and weights (m$weights: controls scaled to the number of distinct matched controls)', () => {
    const want = new Map(g.pairs.treated_id.map((t, k) => [t, g.pairs.control_id[k]!]));
    expect(m.pairs.length).toBe(want.size);
    for (const p of m.pairs) expect(ids[p.controlRow]).toBe(want.get(ids[p.treatedRow]!));
    const byId = new Map(g.weights.id.map((id, k) => [id, g.weights.weight[k]!]));
    const ref = ps.rows.map((r) => byId.get(ids[r]!)!);
    expect(maxAbs(m.matchitWeights, ref)).toBeLessThan(1e-14);
    if (!replace) expect(m.matchitWeights).toEqual(m.weights);
  });

  it("summary(): std. mean diff., eCDF mean / max and Std. Pair Dist. (matched), eCDF (all)", () => {
    const bal = balanceTable(lalonde, ps, m, { covariates: COVS, denominator: 'treated' });
    const rows = g.balance_matched.term.map((t) => bal.rows.find((r) => r.term === t)!);
    expect(rows.every(Boolean)).toBe(true);
    const pick = (f: (r: (typeof rows)[number]) => number) => rows.map(f);
    // MatchIt reports a raw (unstandardized) difference when it is below sqrt(eps): educ with replacement is exactly 0
    expect(maxAbs(pick((r) => r.stdDiffM), g.balance_matched.std_mean_diff)).toBeLessThan(1e-9);
    expect(maxAbs(pick((r) => r.ecdfMeanM), g.balance_matched.ecdf_mean)).toBeLessThan(1e-12);
    expect(maxAbs(pick((r) => r.ecdfMaxM), g.balance_matched.ecdf_max)).toBeLessThan(1e-12);
    expect(maxAbs(pick((r) => r.stdPairDist), g.balance_matched.std_pair_dist!)).toBeLessThan(1e-9);
    expect(maxAbs(pick((r) => r.ecdfMeanU), g.balance_all.ecdf_mean)).toBeLessThan(1e-12);
    expect(maxAbs(pick((r) => r.ecdfMaxU), g.balance_all.ecdf_max)).toBeLessThan(1e-12);
    expect(maxAbs(pick((r) => r.meanControlM), g.balance_matched.means_control)).toBeLessThan(1e-9);
  });

  it('DID of re78 - re75 on the matched sample, weighted by m$weights and unweighted', () => {
    const panel = lalondePanel();
    for (const weights of ['matchit', 'frequency'] as const) {
      const r = psmDid(panel, { outcome: 'y', treatment: { cohort: 'cohort' }, covariates: COVS, weights, match: { replace, emulate: 'matchit-4.5.1' } });
      expect(r.spec.weights).toBe(weights);
      expect(Math.abs(r.did.estimate - g.did_weighted.estimate)).toBeLessThan(1e-8);
      expect(Math.abs(r.didUnweighted.estimate - g.did_unweighted.estimate)).toBeLessThan(1e-8);
      expect(r.unitsMatched).toBe(g.did_weighted.n);
      const s = r.matching[0]!;
      expect(s.pairs.length).toBe(g.pairs.treated_id.length);
      expect(s.scores.length).toBe(lalonde.nrows);
      const sumW = s.scores.reduce((a, x) => a + (x.treated ? 0 : x.matchitWeight), 0);
      expect(Math.abs(sumW - s.nDistinctControls)).toBeLessThan(1e-9);
    }
  });

  it("clustered SEs: fixest's TWFE on the matched panel by unit and by pair (subclass); MatchIt's recommended lm + sandwich SE", () => {
    const panel = lalondePanel();
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    const fit = (clusterBy: 'unit' | 'pair') => psmDid(panel, { outcome: 'y', treatment: { cohort: 'cohort' }, covariates: COVS, clusterBy, match: { replace, emulate: 'matchit-4.5.1' } });
    const byUnit = fit('unit');
    expect(byUnit.spec.clusterBy).toBe('unit');
    expect(rel(byUnit.did.se, g.twfe_cluster_unit.weighted.se)).toBeLessThan(1e-10);
    expect(rel(byUnit.didUnweighted.se, g.twfe_cluster_unit.unweighted.se)).toBeLessThan(1e-10);
    expect(byUnit.did.fit.nobs).toBe(g.twfe_cluster_unit.weighted.nobs);
    // fixest's CR0 (no small-sample factor) equals sandwich's on the first-difference lm: HC0 with replacement
    const rec = g.se_matchit_recommended;
    expect(rel(rec.estimate, g.did_weighted.estimate)).toBeLessThan(1e-12);
    if (replace) {
      expect(() => fit('pair')).toThrow(/clusterBy 'pair' needs matching without replacement/);
      expect(rel(g.twfe_cluster_unit.weighted.se_cr0, rec.se_cr0)).toBeLessThan(1e-12);
      // ours rescaled to CR0 by fixest's own factor is sandwich::vcovHC(type = 'HC0'); MatchIt recommends HC3 here
      expect(rel(byUnit.did.se * (g.twfe_cluster_unit.weighted.se_cr0 / g.twfe_cluster_unit.weighted.se), rec.se_cr0)).toBeLessThan(1e-10);
      return;
    }
    const pc = g.twfe_cluster_pair!;
    const byPair = fit('pair');
    expect(byPair.spec.clusterBy).toBe('pair');
    expect(byPair.notes.join(' ')).toMatch(/clustered by matched pair .*\(185 clusters\)/);
    expect(byUnit.notes.join(' ')).toMatch(/clustered by id \(370 clusters\).*t\(369\)/);
    expect(rel(byPair.did.estimate, pc.weighted.estimate)).toBeLessThan(1e-10);
    expect(rel(byPair.did.se, pc.weighted.se)).toBeLessThan(1e-10);
    expect(rel(byPair.didUnweighted.se, pc.unweighted.se)).toBeLessThan(1e-10);
    expect(Object.values(byPair.did.fit.nClusters)).toEqual([byPair.matching[0]!.pairs.length]);
    // MatchIt's recommendation, vcovCL(cluster = ~subclass) on the first-difference lm: same CR0, factor G/(G-1)(N-1)/(N-2)
    expect(rel(pc.weighted.se_cr0, rec.se_cr0)).toBeLessThan(1e-12);
    const N = g.did_weighted.n;
    const G = byPair.matching[0]!.pairs.length;
    const cr0 = byPair.did.se * (pc.weighted.se_cr0 / pc.weighted.se);
    expect(rel(cr0 * Math.sqrt((G / (G - 1)) * ((N - 1) / (N - 2))), rec.se)).toBeLessThan(1e-10);
    expect(() => psmDid(panel, { outcome: 'y', treatment: { cohort: 'cohort' }, covariates: COVS, clusterBy: 'pair', cluster: ['id'] })).toThrow(/not both/);
  });
});
