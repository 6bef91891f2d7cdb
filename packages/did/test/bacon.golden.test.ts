import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { baconDecomposition, type BaconTwoByTwo } from '../src/index.js';
import { readGoldenCsv } from './helpers.js';

interface Table { treated: number[]; untreated: number[]; estimate: number[]; weight: number[]; type: string[] }
const golden = loadGolden<{
  no_controls: { two_by_twos: Table; by_type: { type: string[]; weight: number[]; avg_est: number[] }; overall_weighted_estimate: number; twfe_feols: { coef: number } };
  with_controls: { Omega: number; beta_hat_w: number; beta_hat_b: number; two_by_twos: Table; overall_weighted_estimate: number; twfe_feols_coef: number };
}>('bacon_castle');
const castle = readGoldenCsv('castle.csv', 'state', 'year');
const NEVER_R = 99999;
const find = (rows: readonly BaconTwoByTwo[], treated: number, untreated: number): BaconTwoByTwo => {
  const row = rows.find((r) => r.treated === treated && (untreated === NEVER_R ? r.untreated === null : r.untreated === untreated));
  if (!row) throw new Error(`no 2x2 ${treated} vs ${untreated}`);
  return row;
};

describe('bacondecomp::bacon golden (castle)', () => {
  it('matches the full table without controls, and the identity holds to 1e-10', () => {
    const res = baconDecomposition(castle, { outcome: 'l_homicide', treatment: { treatment: 'post' } });
    const g = golden.no_controls.two_by_twos;
    expect(res.twoByTwos.length).toBe(g.treated.length);
    g.treated.forEach((t, k) => {
      const row = find(res.twoByTwos, t, g.untreated[k]!);
      expect(row.type).toBe(g.type[k]);
      expect(Math.abs(row.estimate - g.estimate[k]!)).toBeLessThan(1e-8);
      expect(Math.abs(row.weight - g.weight[k]!)).toBeLessThan(1e-8);
    });
    golden.no_controls.by_type.type.forEach((type, k) => {
      const s = res.byType.find((b) => b.type === type)!;
      expect(Math.abs(s.weight - golden.no_controls.by_type.weight[k]!)).toBeLessThan(1e-8);
      expect(Math.abs(s.avgEstimate - golden.no_controls.by_type.avg_est[k]!)).toBeLessThan(1e-8);
    });
    expect(Math.abs(res.twfe - golden.no_controls.twfe_feols.coef)).toBeLessThan(1e-8);
    expect(Math.abs(res.identityResidual)).toBeLessThan(1e-10);
    expect(JSON.parse(JSON.stringify(res)).twoByTwos.length).toBe(25);
  });

  it('matches the decomposition with controls (Omega, beta_w, every 2x2) and its identity', () => {
    const res = baconDecomposition(castle, { outcome: 'l_homicide', treatment: { treatment: 'post' }, controls: ['l_pop', 'l_income'] });
    const g = golden.with_controls;
    expect(Math.abs(res.within!.omega - g.Omega)).toBeLessThan(1e-8);
    expect(Math.abs(res.within!.estimate - g.beta_hat_w)).toBeLessThan(1e-7);
    expect(Math.abs(res.within!.betweenEstimate - g.beta_hat_b)).toBeLessThan(1e-8);
    const t2 = g.two_by_twos;
    expect(res.twoByTwos.length).toBe(t2.treated.length);
    t2.treated.forEach((t, k) => {
      const row = find(res.twoByTwos, t, t2.untreated[k]!);
      expect(row.type).toBe(t2.type[k]);
      expect(Math.abs(row.estimate - t2.estimate[k]!)).toBeLessThan(1e-7);
      expect(Math.abs(row.weight - t2.weight[k]!)).toBeLessThan(1e-8);
    });
    expect(Math.abs(res.twfe - g.twfe_feols_coef)).toBeLessThan(1e-8);
    expect(Math.abs(res.identityResidual)).toBeLessThan(1e-10);
  });

  it('errors on an unbalanced panel, naming the problem', () => {
    const unbalanced = castle.filterRows((r) => r !== 3);
    expect(() => baconDecomposition(unbalanced, { outcome: 'l_homicide', treatment: { treatment: 'post' } })).toThrow(/balanced/);
  });
});
