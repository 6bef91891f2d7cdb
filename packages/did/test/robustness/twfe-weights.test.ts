import { describe, expect, it } from 'vitest';
import { PanelFrame } from '@panel-lab/panel';
import { twfeDid } from '../../src/regression/twfe.js';
import { twowayFeWeights } from '../../src/robustness/twfe-weights.js';
import { readCsv } from './data.js';

const raw = readCsv('mpdta.csv', 'countyreal', 'year');
const g = raw.numeric('first.treat');
const yr = raw.numeric('year');
const mpdta = raw.withColumns({ treat_post: Float64Array.from(g, (v, i) => (v > 0 && yr[i]! >= v ? 1 : 0)) });

describe('twowayFeWeights (feTR)', () => {
  it('mpdta: β_fe equals the TWFE coefficient, weights average to 1, counts add up', () => {
    const r = twowayFeWeights(mpdta, { outcome: 'lemp', treatment: 'treat_post' });
    const twfe = twfeDid(mpdta, { outcome: 'lemp', treatment: { cohort: 'first.treat' } });
    expect(Math.abs(r.beta - twfe.estimate)).toBeLessThan(1e-10);
    expect(r.nTreatedCells).toBe(291);
    expect(r.nPositive + r.nNegative).toBe(291);
    expect(Math.abs(r.sumPositive + r.sumNegative - 1)).toBeLessThan(1e-12);
    expect(r.sigmaFe).toBeCloseTo(Math.abs(r.beta) / r.sdWeights, 12);
  });

  it('finds the negative weights of long-treated early adopters when there is no never-treated group', () => {
    // cohorts at t = 1 and t = 3 of 0..4, no never-treated: early cohort's late cells get negative weight
    const rows: Record<string, number>[] = [];
    for (let u = 0; u < 6; u++) for (let t = 0; t < 5; t++) {
      const G = u < 3 ? 1 : 3;
      rows.push({ id: u, t, d: t >= G ? 1 : 0, y: Math.sin(u + 2 * t) });
    }
    const r = twowayFeWeights(PanelFrame.fromRows(rows, { unit: 'id', time: 't' }), { outcome: 'y', treatment: 'd' });
    expect(r.nNegative).toBeGreaterThan(0);
    expect(r.sumNegative).toBeLessThan(0);
    expect(r.cells.filter((c) => c.weight < 0).every((c) => Number(c.unit) < 3 && c.time >= 3)).toBe(true);
  });
});
