import { describe, expect, it } from 'vitest';
import { aggte, attGt, baconDecomposition } from '../src/index.js';
import { simulatePanel } from './simulate.js';

describe('scale', () => {
  it('runs att_gt, aggte and the Bacon decomposition at 100,000 units', () => {
    const panel = simulatePanel({ units: 100_000, periods: 6, cohorts: [3, 5], seed: 1 });
    const res = attGt(panel, { outcome: 'y', treatment: { cohort: 'g' } });
    expect(res.n).toBe(100_000);
    const dyn = aggte(res, { type: 'dynamic' });
    dyn.egt.forEach((e, k) => {
      const truth = e < 0 ? 0 : 1 + 0.1 * e;
      expect(Math.abs(dyn.attEgt[k]! - truth)).toBeLessThan(5 * dyn.seEgt[k]!);
    });
    const bacon = baconDecomposition(panel, { outcome: 'y', treatment: { cohort: 'g' } });
    expect(Math.abs(bacon.identityResidual)).toBeLessThan(1e-10);
  }, 60_000);
});
