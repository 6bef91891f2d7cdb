import { describe, expect, it } from 'vitest';
import { blockMatrix, synthdidEstimate, synthdidSe, synthdidStaggeredArrays, type OutcomeMatrix } from '../../src/synthdid/index.js';

const names = { unit: 'id', time: 'year', outcome: 'y', treatment: 'w' };

/** 4 units x 4 periods; unit 'd' treated from period 3 (unless overridden). */
function panel(w: (u: string, t: number) => number = (u, t) => (u === 'd' && t >= 3 ? 1 : 0)) {
  const ids: string[] = [];
  const t: number[] = [];
  const y: number[] = [];
  const ws: number[] = [];
  for (const u of ['d', 'a', 'c', 'b']) {
    for (const year of [1, 2, 3, 4]) {
      ids.push(u);
      t.push(year);
      y.push(u.charCodeAt(0) + year * year * 0.1 * ((u.charCodeAt(0) % 3) + 1) + ((u.charCodeAt(0) * year) % 5) * 0.01);
      ws.push(w(u, year));
    }
  }
  return { ids, t, y, ws };
}

describe('synthdid input checks', () => {
  it('orders controls then treated, each by id as text', () => {
    const p = panel();
    const b = blockMatrix(p.ids, p.t, p.y, p.ws, names);
    expect(b.units).toEqual(['a', 'b', 'c', 'd']);
    expect([b.n0, b.t0]).toEqual([3, 2]);
  });
  it('names the column: unbalanced, non-binary, reversal, staggered, no pre-period, non-finite outcome', () => {
    const p = panel();
    expect(() => blockMatrix(p.ids.slice(1), p.t.slice(1), p.y.slice(1), p.ws.slice(1), names)).toThrow(/not balanced/);
    expect(() => blockMatrix(p.ids, p.t, p.y, p.ws.map((v) => v * 2), names)).toThrow(/column 'w': treatment must be 0 or 1/);
    const rev = panel((u, t) => (u === 'd' && t === 3 ? 1 : 0));
    expect(() => blockMatrix(rev.ids, rev.t, rev.y, rev.ws, names)).toThrow(/absorbing/);
    const stag = panel((u, t) => ((u === 'd' && t >= 3) || (u === 'c' && t >= 4) ? 1 : 0));
    expect(() => blockMatrix(stag.ids, stag.t, stag.y, stag.ws, names)).toThrow(/block adoption/);
    const first = panel((u) => (u === 'd' ? 1 : 0));
    expect(() => blockMatrix(first.ids, first.t, first.y, first.ws, names)).toThrow(/no pre-periods/);
    const bad = [...p.y];
    bad[5] = Number.NaN;
    expect(() => blockMatrix(p.ids, p.t, bad, p.ws, names)).toThrow(/column 'y'/);
  });
  it('rejects bad N0 / T0 and a non-finite noise level with the option to pass', () => {
    const y: OutcomeMatrix = { values: Float64Array.from({ length: 6 }, (_, i) => i * i), nUnits: 3, nPeriods: 2 };
    expect(() => synthdidEstimate(y, 3, 1)).toThrow(/N0/);
    expect(() => synthdidEstimate(y, 2, 2)).toThrow(/T0/);
    expect(() => synthdidEstimate(y, 2, 1)).toThrow(/noiseLevel/);
    expect(Number.isFinite(synthdidEstimate(y, 2, 1, { noiseLevel: 1 }).estimate)).toBe(true);
  });
  it('placebo with no more controls than treated units: SE undefined, with the reason', () => {
    const y: OutcomeMatrix = { values: Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) + i), nUnits: 4, nPeriods: 3 };
    const est = synthdidEstimate(y, 2, 2, { noiseLevel: 1 }, 'did');
    const se = synthdidSe(est, { method: 'placebo', seed: 1 });
    expect(se.se).toBeNaN();
    expect(se.reason).toMatch(/more controls/);
  });
  it('staggered: drops cohorts it cannot estimate and says why', () => {
    const p = panel();
    const cohort = p.ids.map((u) => (u === 'd' ? 3 : u === 'c' ? 2 : u === 'b' ? 9 : 0));
    const res = synthdidStaggeredArrays(p.ids, p.t, p.y, cohort, { unit: 'id', time: 'year', outcome: 'y', cohort: 'g', estimator: 'did' });
    expect(res.cohorts.map((c) => c.cohort)).toEqual([2, 3]);
    expect(res.dropped).toEqual([{ cohort: 9, reason: 'adopts after the last period (4): its units serve as controls' }]);
    const sd = synthdidStaggeredArrays(p.ids, p.t, p.y, cohort, { unit: 'id', time: 'year', outcome: 'y', cohort: 'g' });
    expect(sd.dropped.map((d) => d.cohort)).toEqual([2, 9]);
    expect(sd.cohorts[0]!.block.units).toEqual(['a', 'b', 'd']);
  });
});
