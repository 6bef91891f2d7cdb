import { describe, expect, it } from 'vitest';
import { loadGolden, tolerance } from '@panel-lab/testing';
import { didMultiplegtDyn } from '../../src/robustness/dcdh-dyn.js';
import { readCsv } from './data.js';

interface Block { Estimate: number[]; SE: number[]; 'LB CI': number[]; 'UB CI': number[]; N: number[]; Switchers: number[] }
interface Case { results: { Effects: Block; Placebos: Block; ATE: Block; p_jointeffects: number; p_jointplacebo: number; delta_D_avg_total: number } }
const golden = loadGolden<Record<'mpdta' | 'castle' | 'castle_popwt', Case>>('didmultiplegt_dyn');
const COEF = tolerance('coef', 64);
const SE = tolerance('se', 64);
const mpdta = readCsv('mpdta.csv', 'countyreal', 'year');
const castle = readCsv('castle.csv', 'sid', 'year');

// Singleton cohorts (castle: Florida 2005, Michigan 2009) are recentred on the union of switchers and
// not-yet-switchers of their period, as DIDmultiplegtDYN 2.2 does; all three cases match in full.
function expectBlock(rows: readonly { estimate: number; se: number; confLow: number; confHigh: number; n: number | null }[], switchers: readonly number[], g: Block): void {
  expect(rows.length).toBe(g.Estimate.length);
  rows.forEach((r, i) => {
    expect(Math.abs(r.estimate - g.Estimate[i]!), `estimate ${i}`).toBeLessThan(COEF);
    expect(Math.abs(r.se / g.SE[i]! - 1), `se ${i}`).toBeLessThan(SE);
    expect(Math.abs(r.confLow - g['LB CI'][i]!), `LB ${i}`).toBeLessThan(COEF);
    expect(Math.abs(r.confHigh - g['UB CI'][i]!), `UB ${i}`).toBeLessThan(COEF);
    expect(r.n, `N ${i}`).toBe(g.N[i]);
    expect(switchers[i], `switchers ${i}`).toBe(g.Switchers[i]);
  });
}

describe('didMultiplegtDyn against DIDmultiplegtDYN 2.2.0', () => {
  for (const [name, frame, opts] of [
    ['mpdta', mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 4, placebo: 3 }],
    ['castle', castle, { outcome: 'l_homicide', treatment: { treatment: 'post' }, effects: 6, placebo: 5 }],
    ['castle_popwt', castle, { outcome: 'l_homicide', treatment: { treatment: 'post' }, effects: 6, placebo: 5, weights: 'popwt' }],
  ] as const) {
    it(`${name}: effects, placebos (trimmed as R does), SEs, N, switchers, average total effect, joint tests`, () => {
      const r = didMultiplegtDyn(frame, opts);
      const g = golden[name].results;
      expectBlock(r.effects, r.switchers.effects, g.Effects);
      expectBlock(r.placebos, r.switchers.placebos, g.Placebos);
      // the package's N of Av_tot_eff counts each (group, period) cell once; its switchers are summed
      expectBlock([r.averageTotalEffect], [r.switchers.effects.reduce((a, b) => a + b, 0)], g.ATE);
      expect(Math.abs(r.deltaDAvgTotal - g.delta_D_avg_total)).toBeLessThan(1e-12);
      expect(Math.abs(r.averageTotalEffect.se / g.ATE.SE[0]! - 1)).toBeLessThan(SE);
      expect(Math.abs(r.pJointEffects! - g.p_jointeffects)).toBeLessThan(1e-6);
      expect(Math.abs(r.pJointPlacebo! - g.p_jointplacebo)).toBeLessThan(1e-6);
    });
  }

  it("N of the average total effect: the package's distinct cells by default, the effects' sum on request", () => {
    const opts = { outcome: 'lemp', treatment: { cohort: 'first.treat' }, effects: 4 } as const;
    const r = didMultiplegtDyn(mpdta, opts);
    expect(r.averageTotalEffect.n).toBe(golden.mpdta.results.ATE.N[0]);
    expect(r.notes.join(' ')).toMatch(/distinct \(group, period\) cells/);
    const summed = didMultiplegtDyn(mpdta, { ...opts, averageTotalEffectN: 'sum_of_effects' });
    expect(summed.averageTotalEffect.n).toBe(golden.mpdta.results.Effects.N.reduce((a, b) => a + b, 0));
    expect(summed.averageTotalEffect.estimate).toBe(r.averageTotalEffect.estimate);
    expect(() => didMultiplegtDyn(mpdta, { ...opts, averageTotalEffectN: 'sum' as never })).toThrow(/option averageTotalEffectN/);
  });
});
