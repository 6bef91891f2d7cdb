import { describe, expect, it } from 'vitest';
import { loadGolden } from '@panel-lab/testing';
import { aggte, attGt } from '../src/index.js';
import { conditionalCiDeltaSD, estimatesFromAggteDynamic } from '../src/sensitivity/index.js';
import { readGoldenCsv } from './helpers.js';

// End to end on mpdta: our attGt (never-treated, universal base) -> aggte dynamic -> HonestDiD inputs
// from the influence functions, against did 2.3.0 + HonestDiD 0.2.6 (honestdid.json mpdta_cs_dynamic,
// whose sigma is IF'IF/n^2 as honest_did.AGGTEobj builds it).
interface Case {
  input: { betahat: number[]; sigma: number[][]; rel_time: number[]; numPrePeriods: number };
  DeltaSD: { Conditional: { call: { Mvec: number[] }; lb: number[]; ub: number[] } };
}
const g = loadGolden<Record<'mpdta_cs_dynamic', Case>>('honestdid').mpdta_cs_dynamic;
const mpdta = readGoldenCsv('mpdta.csv', 'countyreal', 'year');

describe('HonestDiD from a Callaway-Sant\'Anna dynamic aggregation (mpdta)', () => {
  const res = aggte(attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' }, controlGroup: 'nevertreated', basePeriod: 'universal' }), { type: 'dynamic' });
  const input = estimatesFromAggteDynamic(res);

  it('builds the event-time effects and their covariance as HonestDiD does', () => {
    expect(input.eventTimes).toEqual(g.input.rel_time);
    expect(input.numPrePeriods).toBe(g.input.numPrePeriods);
    input.betahat.forEach((b, i) => expect(Math.abs(b - g.input.betahat[i]!)).toBeLessThan(1e-10));
    input.sigma.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v / g.input.sigma[i]![j]! - 1)).toBeLessThan(1e-8)));
  });

  it('gives the same Delta^SD conditional CIs', async () => {
    const Mvec = [0, 0.02];
    const rows = await conditionalCiDeltaSD(input, Mvec, { method: 'Conditional' });
    rows.forEach((r, k) => {
      const i = g.DeltaSD.Conditional.call.Mvec.indexOf(Mvec[k]!);
      expect(Math.abs(r.lb! - g.DeltaSD.Conditional.lb[i]!)).toBeLessThan(1e-8);
      expect(Math.abs(r.ub! - g.DeltaSD.Conditional.ub[i]!)).toBeLessThan(1e-8);
    });
  }, 120_000);

  it('refuses a varying base period', () => {
    const varying = aggte(attGt(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } }), { type: 'dynamic' });
    expect(() => estimatesFromAggteDynamic(varying)).toThrow(/universal/);
  });
});
