import { describe, expect, it } from 'vitest';
import { romanoWolf, wildClusterBootstrap, wildMultipleTesting } from '../src/index.js';
import { createRng } from '@panel-lab/compute';
import type { PanelFrame } from '@panel-lab/panel';
import { makePanel } from './dgp.js';

/** Three correlated outcomes sharing y's noise, one with an effect (as multiple-testing.test.ts). */
function multiOutcomePanel(seed: number): PanelFrame {
  const frame = makePanel({ seed, units: 48, zones: 12, effect: 0.25, controls: 2 });
  const rng = createRng(seed + 100);
  const y = frame.numeric('y');
  const d = frame.numeric('treat');
  const make = (rho: number, effect: number) => Float64Array.from(y, (v, r) => rho * v + effect * d[r]! + rng.normal() * 0.6);
  return frame.withColumns({ y2: make(0.8, 0), y3: make(0.5, 0.4) });
}

const outcomes = ['y', 'y2', 'y3'];
const treat = (o: string, family?: string) => ({ outcome: o, coefficient: 'treat', controls: ['x1', 'x2'], ...(family ? { family } : {}) });
const x1 = (o: string, family?: string) => ({ outcome: o, coefficient: 'x1', controls: ['treat', 'x2'], ...(family ? { family } : {}) });

describe('wildMultipleTesting (hypotheses in families, shared wild bootstrap weights)', () => {
  it('one coefficient across outcomes in one family is romanoWolf', async () => {
    const frame = multiOutcomePanel(6);
    const a = await wildMultipleTesting(frame, { hypotheses: outcomes.map((o) => treat(o)), cluster: 'zone', seed: 9, draws: 299, weights: 'webb' });
    const b = await romanoWolf(frame, { outcomes, coefficient: 'treat', controls: ['x1', 'x2'], cluster: 'zone', seed: 9, draws: 299, weights: 'webb' });
    for (const [k, r] of a.rows.entries()) {
      const q = b.rows[k]!;
      expect([r.estimate, r.se, r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP, r.step]).toEqual([q.estimate, q.se, q.pValue, q.pRomanoWolf, q.pWestfallYoung, q.pWestfallYoungMinP, q.step]);
    }
  });

  it('families share the draws but adjust separately: each equals running that family alone; unadjusted p is the plain WCR p', async () => {
    const frame = multiOutcomePanel(7);
    const opts = { cluster: 'zone', seed: 21, draws: 399, weights: 'webb' as const };
    const both = await wildMultipleTesting(frame, { ...opts, hypotheses: [...outcomes.map((o) => treat(o, 'treat')), ...outcomes.map((o) => x1(o, 'x1'))] });
    expect(both.families).toEqual([{ family: 'treat', size: 3 }, { family: 'x1', size: 3 }]);
    const alone = await wildMultipleTesting(frame, { ...opts, hypotheses: outcomes.map((o) => x1(o, 'x1')) });
    for (const [k, r] of alone.rows.entries()) {
      const q = both.rows[3 + k]!;
      expect([q.pValue, q.pRomanoWolf, q.pWestfallYoung, q.pWestfallYoungMinP, q.step]).toEqual([r.pValue, r.pRomanoWolf, r.pWestfallYoung, r.pWestfallYoungMinP, r.step]);
    }
    const plain = await wildClusterBootstrap(frame, { ...opts, outcome: 'y2', coefficient: 'x1', controls: ['treat', 'x2'] });
    expect(both.rows[4]!.pValue).toBe(plain.pValue);
    // one family of all six: at least as conservative as the two separate families
    const pooled = await wildMultipleTesting(frame, { ...opts, hypotheses: [...outcomes.map((o) => treat(o)), ...outcomes.map((o) => x1(o))] });
    pooled.rows.forEach((r, k) => expect(r.pRomanoWolf).toBeGreaterThanOrEqual(both.rows[k]!.pRomanoWolf));
  });

  it('refuses repeated or malformed hypotheses by name', async () => {
    const frame = multiOutcomePanel(8);
    await expect(wildMultipleTesting(frame, { hypotheses: [treat('y'), treat('y')], cluster: 'zone', seed: 1 })).rejects.toThrow(/option hypotheses\[1\]: treat on y is listed twice/);
    await expect(wildMultipleTesting(frame, { hypotheses: [], cluster: 'zone', seed: 1 })).rejects.toThrow(/option hypotheses/);
    await expect(wildMultipleTesting(frame, { hypotheses: [treat('nope')], cluster: 'zone', seed: 1, draws: 99 })).rejects.toThrow(/nope/);
  });
});
